/**
 * The voice webhooks' parameter sets as zod schemas (Twilio's voice webhook reference: request, status callback, Dial and Enqueue parameters).
 * Only the fields Switchboard uses are read; the rest pass the signature check and are dropped.
 * `From`/`To` stay free text: `anonymous`, `client:alice` and SIP URIs are legitimate values.
 */
import { z } from 'zod';
import { sidPattern } from '../../phone-rules';

const sid = (prefix: string, name: string) =>
	z.string().regex(sidPattern(prefix, { anyCase: true }), `${name} must be ${prefix} followed by 32 hex digits`);

const count = (name: string) => z.coerce.number({ error: `${name} must be a whole number` }).int().min(0);

export const CALL_STATUSES = ['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;
export const ZCallStatus = z.enum(CALL_STATUSES, { error: `CallStatus must be one of ${CALL_STATUSES.join(', ')}` });
export type TCallStatus = z.infer<typeof ZCallStatus>;

export const DIAL_CALL_STATUSES = ['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled'] as const;

/** Every voice request (the incoming call, its redirects and actions). */
export const ZVoiceRequest = z.object({
	CallSid: sid('CA', 'CallSid'),
	AccountSid: sid('AC', 'AccountSid').optional(),
	From: z.string().max(512).default(''),
	To: z.string().max(512).default(''),
	CallStatus: ZCallStatus.optional(),
	Direction: z.string().max(32).optional(),
	ParentCallSid: sid('CA', 'ParentCallSid').optional(),
	CallerName: z.string().max(256).optional()
});
export type TVoiceRequest = z.infer<typeof ZVoiceRequest>;

/** A call-progress status callback: `SequenceNumber` (from 0) and `Timestamp` let events be ordered. */
export const ZVoiceStatusCallback = ZVoiceRequest.extend({
	CallStatus: ZCallStatus,
	SequenceNumber: count('SequenceNumber').optional(),
	/** RFC 2822, e.g. `Tue, 24 Nov 2026 09:00:00 +0000`. */
	Timestamp: z.string().max(64).optional(),
	CallDuration: count('CallDuration').optional(),
	RecordingSid: z.string().max(64).optional(),
	RecordingUrl: z.string().max(2048).optional()
});
export type TVoiceStatusCallback = z.infer<typeof ZVoiceStatusCallback>;

/** `<Dial action>`: how the dial ended. */
export const ZDialAction = ZVoiceRequest.extend({
	DialCallStatus: z.enum(DIAL_CALL_STATUSES, { error: `DialCallStatus must be one of ${DIAL_CALL_STATUSES.join(', ')}` }),
	DialCallSid: sid('CA', 'DialCallSid').optional(),
	DialCallDuration: count('DialCallDuration').optional()
});
export type TDialAction = z.infer<typeof ZDialAction>;

/** `<Enqueue action>`: why the caller left the queue. */
export const ZEnqueueAction = ZVoiceRequest.extend({
	QueueResult: z.string().max(64),
	QueueSid: z.string().max(64).optional(),
	QueueTime: count('QueueTime').optional()
});
export type TEnqueueAction = z.infer<typeof ZEnqueueAction>;

/** `<Enqueue waitUrl>`: fetched while the caller waits. */
export const ZQueueWait = ZVoiceRequest.extend({
	QueuePosition: count('QueuePosition').optional(),
	QueueTime: count('QueueTime').optional(),
	CurrentQueueSize: count('CurrentQueueSize').optional()
});
export type TQueueWait = z.infer<typeof ZQueueWait>;

export const RECORDING_STATUSES = ['in-progress', 'completed', 'absent', 'failed'] as const;

/** Recording status callback (`<Dial record>` and `<Record>`). */
export const ZRecordingStatus = ZVoiceRequest.extend({
	RecordingSid: sid('RE', 'RecordingSid'),
	RecordingUrl: z.string().max(2048).optional(),
	RecordingStatus: z.enum(RECORDING_STATUSES, { error: `RecordingStatus must be one of ${RECORDING_STATUSES.join(', ')}` }),
	RecordingDuration: count('RecordingDuration').optional(),
	RecordingChannels: count('RecordingChannels').optional(),
	RecordingSource: z.string().max(64).optional()
});
export type TRecordingStatus = z.infer<typeof ZRecordingStatus>;

/** `<Record action>`: the voicemail was taken (or the caller hung up first). */
export const ZRecordAction = ZVoiceRequest.extend({
	RecordingUrl: z.string().max(2048).optional(),
	RecordingSid: sid('RE', 'RecordingSid').optional(),
	RecordingDuration: count('RecordingDuration').optional(),
	Digits: z.string().max(32).optional()
});
export type TRecordAction = z.infer<typeof ZRecordAction>;

export const TRANSCRIPTION_EVENTS = ['transcription-started', 'transcription-content', 'transcription-stopped', 'transcription-error'] as const;

/** `TranscriptionData` of a transcription-content event: a JSON object as text. */
export const ZTranscriptionData = z.object({
	transcript: z.string().max(10_000),
	confidence: z.number().min(0).max(1).optional()
});

/**
 * A live transcription's status callback (`<Start><Transcription statusCallbackUrl>`): every
 * event carries TranscriptionSid (GT...), TranscriptionEvent, SequenceId and Timestamp; content
 * events add Track (inbound_track / outbound_track), Final and TranscriptionData.
 */
export const ZTranscriptionEvent = z
	.object({
		CallSid: sid('CA', 'CallSid'),
		AccountSid: sid('AC', 'AccountSid').optional(),
		TranscriptionSid: sid('GT', 'TranscriptionSid'),
		TranscriptionEvent: z.enum(TRANSCRIPTION_EVENTS, { error: `TranscriptionEvent must be one of ${TRANSCRIPTION_EVENTS.join(', ')}` }),
		SequenceId: count('SequenceId'),
		/** ISO 8601. */
		Timestamp: z.string().max(64).optional(),
		/** A content event's track; transcription-started repeats the `<Transcription track>` asked for. */
		Track: z.enum(['inbound_track', 'outbound_track', 'both_tracks'], { error: 'Track must be inbound_track, outbound_track or both_tracks' }).optional(),
		Final: z.enum(['true', 'false'], { error: 'Final must be true or false' }).optional(),
		TranscriptionData: z.string().max(20_000).optional(),
		LanguageCode: z.string().max(32).optional(),
		TranscriptionError: z.string().max(1024).optional(),
		TranscriptionErrorCode: z.string().max(16).optional()
	})
	.superRefine((e, ctx) => {
		if (e.TranscriptionEvent !== 'transcription-content') return;
		if (e.Track !== 'inbound_track' && e.Track !== 'outbound_track') {
			ctx.addIssue({ code: 'custom', path: ['Track'], message: 'Track must be inbound_track or outbound_track on transcription-content' });
		}
		let data: unknown;
		try {
			data = JSON.parse(e.TranscriptionData ?? '');
		} catch {
			data = undefined;
		}
		if (!ZTranscriptionData.safeParse(data).success) {
			ctx.addIssue({ code: 'custom', path: ['TranscriptionData'], message: 'TranscriptionData must be JSON with a transcript (and a confidence from 0 to 1)' });
		}
	});
export type TTranscriptionEvent = z.infer<typeof ZTranscriptionEvent>;
