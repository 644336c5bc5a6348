import type { MediaEvent } from '$lib/media/media-signal';

/** What the customer phone page receives over its event stream: one phone's calls and texts. */
export interface PhoneCallView {
	sid: string;
	/** `outgoing`: this phone called; `incoming`: Switchboard called this phone. */
	direction: 'outgoing' | 'incoming';
	from: string;
	to: string;
	/** Twilio's call statuses (ringing, in-progress, completed, busy, no-answer, canceled...). */
	status: string;
	/** What the caller heard: Say texts, `[play ...]`, `[beep]`. */
	heard: string[];
	/** Talking to someone (an agent's softphone or another phone), not to Switchboard's prompts. */
	bridged: boolean;
	/** The queue the caller waits in right now, if any. */
	queue: string | null;
	/** In a conference (a call on hold, transferred or with more people): whether this phone is held and hears hold music. */
	conference: { onHold: boolean; hearsHoldMusic: boolean } | null;
}

/** The carrier's record of delivering a text to Switchboard's messaging webhook. */
export interface WebhookDeliveryView {
	method: 'GET' | 'POST';
	url: string;
	/** HTTP status Switchboard answered with; null when no answer came (timeout, refused). */
	status: number | null;
	/** Twilio's error code when the delivery failed (11200, 11205, 11217...). */
	errorCode: number | null;
	/** The X-Twilio-Signature sent validates against the URL and form params with the account's auth token. */
	signatureValid: boolean;
	idempotencyToken: string;
	viaFallback: boolean;
}

export interface PhoneTextView {
	sid: string;
	direction: 'sent' | 'received';
	from: string;
	to: string;
	body: string;
	/** Pictures or other files sent with it (MMS). */
	mediaCount: number;
	/** Twilio's message statuses (sending, delivered, undelivered...). */
	status: string;
	delivery: WebhookDeliveryView | null;
}

export interface PhoneSnapshot {
	number: string;
	calls: PhoneCallView[];
	texts: PhoneTextView[];
}

/** Sent on the same stream between snapshots: WebRTC signaling for one of the phone's calls. */
export interface PhoneMediaEvent {
	type: 'media';
	callSid: string;
	media: MediaEvent;
}

/** A picture the phone attaches to a text (MMS), sent to the page's API as base64. */
export interface PhoneAttachmentInput {
	contentType: string;
	data: string;
}

/** What the customer phone may attach: small raster images, enough to try MMS locally. */
export const PHONE_ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export const PHONE_ATTACHMENT_MAX_BYTES = 1_000_000;
