/**
 * Where the carrier reaches Switchboard's voice webhooks. TwiML carries these as relative URLs,
 * which Twilio resolves against the request it is answering (the public base URL).
 */
export const VOICE_PATHS = {
	incoming: '/webhooks/twilio/voice',
	status: '/webhooks/twilio/voice/status',
	dialAction: '/webhooks/twilio/voice/dial-action',
	/** Queue and voicemail routes: hold music and position, queue exit, voicemail, recording callbacks. */
	wait: '/webhooks/twilio/voice/wait',
	enqueueAction: '/webhooks/twilio/voice/enqueue-action',
	voicemailDone: '/webhooks/twilio/voice/voicemail-done',
	recording: '/webhooks/twilio/voice/recording',
	/** `<Dial><Queue url>`: runs on the dequeued caller's leg as an agent's pickup bridges it. */
	queueBridge: '/webhooks/twilio/voice/queue-bridge',
	/** The TwiML App's voice URL: an agent's softphone places a call (outbound/handle-outbound-call.ts). */
	outbound: '/webhooks/twilio/voice/outbound',
	/** The dialled customer's leg of an outbound call: its progress, its `<Number url>` notice, the Dial's end. */
	outboundStatus: '/webhooks/twilio/voice/outbound/status',
	outboundNotice: '/webhooks/twilio/voice/outbound/notice',
	outboundDialAction: '/webhooks/twilio/voice/outbound/dial-action',
	/** `<Start><Transcription statusCallbackUrl>`: a live transcription's events (calls/live-transcription.ts). */
	transcription: '/webhooks/twilio/voice/transcription'
} as const;

/** The progress events requested for every agent leg. */
export const AGENT_LEG_EVENTS = 'initiated ringing answered completed';
