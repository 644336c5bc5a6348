/**
 * Hot state: what agents watch change, second by second. The archive (PostgreSQL) keeps what
 * must never be lost; every table here can be rebuilt from it or is short-lived by nature.
 * Each table's validator is exported with its `Infer` type so functions and the app share one
 * shape. Ids of archive rows (users, customers, calls) are plain strings: they live in the
 * archive, not here.
 */
import { defineSchema, defineTable } from 'convex/server';
import { v, type Infer } from 'convex/values';
import { ROLES } from '../src/lib/roles';

/** Staff roles, from the one list the whole app shares. */
export const vRole = v.union(...ROLES.map((role) => v.literal(role)));

/** What an agent is doing. available/busy/away are set by the agent; the rest by call flow. */
export const vAgentPresence = v.union(
	v.literal('available'),
	v.literal('busy'),
	v.literal('away'),
	v.literal('offline'),
	v.literal('ringing'),
	v.literal('wrapup')
);
export type AgentPresence = Infer<typeof vAgentPresence>;

/** The statuses an agent may pick by hand; the others follow calls and sign-in. */
export const vSelectableStatus = v.union(v.literal('available'), v.literal('busy'), v.literal('away'));
export type SelectableStatus = Infer<typeof vSelectableStatus>;

/** Whether the agent's softphone can take a call right now (routing skips unhealthy ones). */
export const vSoftphoneState = v.union(
	v.literal('unregistered'),
	v.literal('registering'),
	v.literal('ready'),
	v.literal('error'),
	/** The browser refused the microphone: the softphone cannot take a call until it is allowed. */
	v.literal('no-microphone')
);
export type SoftphoneState = Infer<typeof vSoftphoneState>;

/** A call that rang an agent out unanswered (ring timeout, busy, no device). */
export const vMissedCall = v.object({
	callSid: v.string(),
	from: v.string(),
	customerName: v.optional(v.string()),
	at: v.number()
});
export type MissedCall = Infer<typeof vMissedCall>;

export const agentStatusFields = {
	userId: v.string(),
	name: v.string(),
	role: vRole,
	status: vAgentPresence,
	/** When `status` last changed (ms since epoch): longest-idle routing and the wallboard timer. */
	since: v.number(),
	softphone: vSoftphoneState,
	/** Last heartbeat from any of the agent's browsers. */
	lastSeenAt: v.optional(v.number()),
	/** lastSeenAt rounded down to HEARTBEAT_BUCKET_MS: what the wallboard sees, so a beat repaints it at most that often. */
	seenBucket: v.optional(v.number()),
	/** The call the agent is on, if any. */
	activeCallSid: v.optional(v.string()),
	lastCallEndedAt: v.optional(v.number()),
	/** Calls offered to the agent that rang out unanswered since hot state was built. */
	missedCalls: v.optional(v.number()),
	/** The latest of them: the agent's softphone and the wallboard say who it was. */
	lastMissed: v.optional(vMissedCall)
};
export const vAgentStatus = v.object(agentStatusFields);
export type AgentStatus = Infer<typeof vAgentStatus>;

export const vIncomingCallState = v.union(
	v.literal('routing'),
	v.literal('offered'),
	v.literal('accepted'),
	v.literal('missed'),
	v.literal('abandoned')
);

/** Inbound calls being routed or offered to one agent; the screen pop reads from here. */
export const incomingCallFields = {
	callSid: v.string(),
	from: v.string(),
	to: v.string(),
	customerId: v.optional(v.string()),
	customerName: v.optional(v.string()),
	requiredSkill: v.optional(v.string()),
	state: vIncomingCallState,
	receivedAt: v.number(),
	offeredTo: v.optional(v.string()),
	offeredAt: v.optional(v.number()),
	/** Agents who missed or declined this call, so routing does not offer it to them again. */
	declinedBy: v.array(v.string()),
	attempts: v.number(),
	/** The queue the dialled number routes to, and every skill an agent needs for it. */
	queueName: v.optional(v.string()),
	requiredSkills: v.optional(v.array(v.string())),
	customerCompany: v.optional(v.string()),
	/**
	 * The caller's place in its queue's waiting line, when nobody could take the call at once:
	 * `waiting` for the next free agent, `bridging` once one is picked (an offer out of the line
	 * keeps `enqueuedAt`, so a caller it rang out on goes back to the same place).
	 */
	lineState: v.optional(v.union(v.literal('waiting'), v.literal('bridging'))),
	/** Higher is served first; equal priority is first come, first served. */
	priority: v.optional(v.number()),
	enqueuedAt: v.optional(v.number()),
	/** The agent picked to take this caller once bridging starts. */
	assignedTo: v.optional(v.string())
};
export const vIncomingCall = v.object(incomingCallFields);
export type IncomingCall = Infer<typeof vIncomingCall>;

export const vCallDirection = v.union(v.literal('inbound'), v.literal('outbound'));
export const vActiveCallState = v.union(
	v.literal('ringing'),
	v.literal('in-progress'),
	v.literal('on-hold'),
	v.literal('wrapup')
);

/** Calls an agent is on now, from answer until wrap-up ends. */
export const activeCallFields = {
	callSid: v.string(),
	/** The customer's leg when the agent leg is a child call. */
	parentCallSid: v.optional(v.string()),
	/** A first agent's wrap-up row after a transfer took them off the call (transfers.ts): that call's CallSid. */
	handoffOf: v.optional(v.string()),
	direction: vCallDirection,
	agentId: v.string(),
	customerId: v.optional(v.string()),
	customerName: v.optional(v.string()),
	from: v.string(),
	to: v.string(),
	state: vActiveCallState,
	startedAt: v.number(),
	answeredAt: v.optional(v.number()),
	holdStartedAt: v.optional(v.number()),
	muted: v.boolean(),
	recording: v.boolean(),
	conferenceName: v.optional(v.string()),
	queueName: v.optional(v.string()),
	customerCompany: v.optional(v.string()),
	/** When the call ended and wrap-up began. */
	endedAt: v.optional(v.number()),
	/** When the queue's wrap-up time runs out and the agent is available again by themselves (the softphone's countdown). */
	wrapupEndsAt: v.optional(v.number()),
	/** The customer's number (E.164): the dialled number of an outbound call, the caller of an inbound one; one live call per number. */
	customerNumber: v.optional(v.string()),
	/** Call control (src/lib/server/call-control): the legs, once known. Inbound: callSid is the customer's leg; outbound: the agent's. */
	customerCallSid: v.optional(v.string()),
	agentCallSid: v.optional(v.string()),
	/** How the agent was bridged: a `<Dial>` child leg (direct offer, outbound) or an agent's `<Dial><Queue>` pickup. */
	bridgedBy: v.optional(v.union(v.literal('dial'), v.literal('queue'))),
	/** Set when the call moves into its conference (`conferenceName`); `conference` once the carrier started it. */
	controlState: v.optional(v.union(v.literal('moving'), v.literal('conference'))),
	conferenceSid: v.optional(v.string()),
	/** Supervisors on the call, and how: the agent sees who is listening. */
	listeners: v.optional(
		v.array(v.object({ userId: v.string(), name: v.string(), mode: v.union(v.literal('monitor'), v.literal('whisper'), v.literal('barge')), callSid: v.string() }))
	),
	/** Who is in the call's conference now, as its events report them (label as given: customer, agent:<id>, ...). */
	participants: v.optional(v.array(v.object({ callSid: v.string(), label: v.string(), hold: v.boolean(), muted: v.boolean(), coaching: v.boolean() }))),
	/** Seconds of hold already over on this call (the running hold is from holdStartedAt). */
	heldSeconds: v.optional(v.number())
};
export const vActiveCall = v.object(activeCallFields);
export type ActiveCall = Infer<typeof vActiveCall>;

/**
 * The outbound "next call" queue: the leads of running campaigns, hydrated from the archive in
 * small batches (src/lib/server/campaigns/hydrate-campaign-queue.ts). An agent's Next call claims
 * the first ready lead of their campaign in one mutation (campaignQueue.claimNext).
 */
export const vLeadQueueState = v.union(v.literal('ready'), v.literal('claimed'));
export const leadQueueFields = {
	campaignId: v.string(),
	leadId: v.string(),
	customerId: v.optional(v.string()),
	name: v.string(),
	/** E.164. */
	phone: v.string(),
	/** The IANA zones the recipient may be in (from the number); calling hours must be open in each. */
	timeZones: v.array(v.string()),
	/** Import order: fresh leads are dialled in it. */
	order: v.number(),
	state: vLeadQueueState,
	/** Not claimed before this (ms): 0 for a fresh lead, the last attempt plus the re-call gap after one. */
	notBefore: v.number(),
	attempts: v.number(),
	lastAttemptAt: v.optional(v.number()),
	claimedBy: v.optional(v.string()),
	claimedAt: v.optional(v.number())
};
export const vLeadQueueRow = v.object(leadQueueFields);
export type LeadQueueRow = Infer<typeof vLeadQueueRow>;

/** Each campaign's counts as the archive last had them, for the managers' live progress view. */
export const campaignProgressFields = {
	campaignId: v.string(),
	name: v.string(),
	status: v.union(v.literal('running'), v.literal('paused')),
	total: v.number(),
	dialled: v.number(),
	reached: v.number(),
	refused: v.number(),
	remaining: v.number(),
	byDisposition: v.array(v.object({ disposition: v.string(), count: v.number() })),
	updatedAt: v.number()
};
export const vCampaignProgress = v.object(campaignProgressFields);
export type CampaignProgress = Infer<typeof vCampaignProgress>;

export const vTransferKind = v.union(v.literal('warm'), v.literal('cold'));
export const vTransferTargetKind = v.union(v.literal('agent'), v.literal('queue'), v.literal('number'));
/** The phases of src/lib/transfers/transfer-machine.ts (its table decides every move). */
export const vTransferPhase = v.union(
	v.literal('idle'),
	v.literal('ringing'),
	v.literal('blind_ringing'),
	v.literal('consulting'),
	v.literal('completed'),
	v.literal('joined'),
	v.literal('returned'),
	v.literal('requeued'),
	v.literal('ended')
);
export const vTransferOutcome = v.union(
	v.literal('completed'),
	v.literal('joined'),
	v.literal('cancelled'),
	v.literal('declined'),
	v.literal('timeout'),
	v.literal('target-left'),
	v.literal('queued'),
	v.literal('customer-hangup')
);

/**
 * Transfers in flight, one row per transfer offered to its target (a named agent, a queue or an
 * outside number), warm (consult first) or cold. The row's `phase` moves only through the
 * transfer machine; a closed row stays a minute so both screens see how it ended, then the sweep
 * removes it (the archive's call_transfers keeps it for good, under the same transferId).
 */
export const transferFields = {
	/** Shared with the archive row (call_transfers.id). */
	transferId: v.string(),
	/** The first agent's call as active_calls keys it. */
	callSid: v.string(),
	/** The customer's leg (its conference participant). */
	customerCallSid: v.optional(v.string()),
	kind: vTransferKind,
	targetKind: vTransferTargetKind,
	fromAgentId: v.string(),
	fromAgentName: v.string(),
	toAgentId: v.optional(v.string()),
	toAgentName: v.optional(v.string()),
	toQueue: v.optional(v.string()),
	/** E.164, for an outside number. */
	toNumber: v.optional(v.string()),
	/** The target's conference leg once the carrier created it. */
	targetCallSid: v.optional(v.string()),
	/** The call's conference (CONTROL's ensureConference) and the first agent's leg in it. */
	conferenceName: v.optional(v.string()),
	conferenceSid: v.optional(v.string()),
	agentCallSid: v.optional(v.string()),
	/** The call's own queue: where the customer waits if the transfer fails with the first agent gone. */
	originalQueue: v.optional(v.string()),
	customerId: v.optional(v.string()),
	customerName: v.optional(v.string()),
	callerNumber: v.string(),
	/** Our number on the call (the target's leg shows it; a re-queued caller is routed as a call to it). */
	ourNumber: v.optional(v.string()),
	note: v.optional(v.string()),
	phase: vTransferPhase,
	outcome: v.optional(vTransferOutcome),
	requestedAt: v.number(),
	/** The offer times out at this instant if the target has not answered. */
	expiresAt: v.number(),
	respondedAt: v.optional(v.number()),
	closedAt: v.optional(v.number())
};
export const vTransfer = v.object(transferFields);
export type Transfer = Infer<typeof vTransfer>;

/** Skill levels run 1 (can cover) to 5 (expert); routing prefers higher levels. */
export const agentSkillFields = {
	userId: v.string(),
	skill: v.string(),
	level: v.number()
};
export const vAgentSkill = v.object(agentSkillFields);
export type AgentSkill = Infer<typeof vAgentSkill>;

export const vSmsDirection = v.union(v.literal('inbound'), v.literal('outbound'));
/** `waiting`: held for the sending number's throughput; `canceled`: never handed to the carrier. */
export const vSmsState = v.union(
	v.literal('received'),
	v.literal('waiting'),
	v.literal('queued'),
	v.literal('sending'),
	v.literal('sent'),
	v.literal('delivered'),
	v.literal('undelivered'),
	v.literal('failed'),
	v.literal('canceled')
);

/** Recent messages of active threads; the archive keeps every message for good. */
export const smsMessageFields = {
	/** Customer number and our number, both E.164, e.g. "+15551230000|+15559870000". */
	threadKey: v.string(),
	customerId: v.optional(v.string()),
	direction: vSmsDirection,
	from: v.string(),
	to: v.string(),
	body: v.string(),
	messageSid: v.optional(v.string()),
	state: vSmsState,
	agentId: v.optional(v.string()),
	sentAt: v.number(),
	/** The archive row, once written. */
	archiveId: v.optional(v.string()),
	/** Carrier error code and its explanation, on failed/undelivered texts. */
	errorCode: v.optional(v.number()),
	errorMessage: v.optional(v.string()),
	/** MMS files that came with it; the inbox reads them (signed URLs of our storage) from the archive. */
	mediaCount: v.optional(v.number())
};
export const vSmsMessage = v.object(smsMessageFields);
export type SmsMessage = Infer<typeof vSmsMessage>;

/** Who may reply in a thread right now, so two agents never answer the same customer. */
export const smsThreadLockFields = {
	threadKey: v.string(),
	holderId: v.string(),
	holderName: v.string(),
	acquiredAt: v.number(),
	expiresAt: v.number(),
	/** Set when a supervisor took the lock over: whom they took it from, so that agent's composer can say so. */
	previousHolderId: v.optional(v.string()),
	previousHolderName: v.optional(v.string()),
	takenOverAt: v.optional(v.number())
};
export const vSmsThreadLock = v.object(smsThreadLockFields);
export type SmsThreadLock = Infer<typeof vSmsThreadLock>;

/** Customer records an agent has open as tabs; they follow the agent across devices. */
export const contactTabFields = {
	userId: v.string(),
	customerId: v.string(),
	label: v.string(),
	openedAt: v.number(),
	/** Left-to-right position; new tabs go to the end. */
	order: v.number()
};
export const vContactTab = v.object(contactTabFields);
export type ContactTab = Infer<typeof vContactTab>;

/**
 * A call's live transcription as it happens (Twilio `<Start><Transcription>` events): final lines,
 * plus at most one partial line per speaker, replaced as more words come and removed when its
 * final arrives. Ordered by the carrier's SequenceId. The archive keeps the final lines
 * (live_transcript_lines); these rows are swept a while after the call.
 */
export const vLiveSpeaker = v.union(v.literal('customer'), v.literal('agent'));
export const liveTranscriptLineFields = {
	/** The leg that ran the <Start>, as active_calls.callSid (the caller's leg inbound, the agent's outbound). */
	callSid: v.string(),
	transcriptionSid: v.string(),
	sequenceId: v.number(),
	speaker: vLiveSpeaker,
	/** Masked as archived transcripts are. */
	text: v.string(),
	final: v.boolean(),
	confidence: v.optional(v.number()),
	/** ms since epoch: when the carrier recognised it. */
	at: v.number()
};
export const vLiveTranscriptLine = v.object(liveTranscriptLineFields);
export type LiveTranscriptLine = Infer<typeof vLiveTranscriptLine>;

export default defineSchema({
	agent_status: defineTable(vAgentStatus).index('by_userId', ['userId']).index('by_status', ['status']),
	incoming_call_queue: defineTable(vIncomingCall)
		.index('by_callSid', ['callSid'])
		.index('by_state', ['state'])
		.index('by_offeredTo', ['offeredTo'])
		// The line: a queue's waiting callers, priority then arrival (ties by creation, as Convex orders them).
		.index('by_line', ['queueName', 'lineState', 'priority', 'enqueuedAt']),
	active_calls: defineTable(vActiveCall)
		.index('by_callSid', ['callSid'])
		.index('by_agentId', ['agentId'])
		.index('by_state', ['state'])
		.index('by_customerNumber', ['customerNumber'])
		.index('by_agentCallSid', ['agentCallSid'])
		.index('by_customerCallSid', ['customerCallSid'])
		.index('by_conferenceName', ['conferenceName']),
	call_queue: defineTable(vLeadQueueRow)
		.index('by_leadId', ['leadId'])
		// Next call: a campaign's ready leads, fresh ones (notBefore 0) in import order, then retries as they fall due.
		.index('by_next', ['campaignId', 'state', 'notBefore', 'order'])
		.index('by_claimedBy', ['claimedBy'])
		.index('by_phone', ['phone']),
	campaign_progress: defineTable(vCampaignProgress).index('by_campaignId', ['campaignId']),
	transfer_queue: defineTable(vTransfer)
		.index('by_transferId', ['transferId'])
		.index('by_callSid', ['callSid'])
		.index('by_toAgentId', ['toAgentId'])
		.index('by_fromAgentId', ['fromAgentId'])
		// The sweep: offers past their expiry, closed rows past their minute.
		.index('by_phase', ['phase', 'expiresAt']),
	agent_skills: defineTable(vAgentSkill).index('by_userId', ['userId']).index('by_skill', ['skill']),
	sms_messages: defineTable(vSmsMessage)
		.index('by_threadKey', ['threadKey'])
		.index('by_messageSid', ['messageSid'])
		.index('by_customerId', ['customerId'])
		.index('by_archiveId', ['archiveId']),
	sms_thread_locks: defineTable(vSmsThreadLock)
		.index('by_threadKey', ['threadKey'])
		.index('by_holderId', ['holderId'])
		// The inbox lists the newest leases first; the sweep deletes the lapsed ones oldest first.
		.index('by_expiresAt', ['expiresAt']),
	user_contact_tabs: defineTable(vContactTab).index('by_userId', ['userId']),
	live_transcript_lines: defineTable(vLiveTranscriptLine)
		.index('by_callSid', ['callSid', 'sequenceId'])
		.index('by_speaker', ['callSid', 'speaker', 'final', 'sequenceId'])
		.index('by_at', ['at'])
});

/** The table names, for code that walks them (hydration, change tracking). */
export const TABLE_NAMES = [
	'agent_status',
	'incoming_call_queue',
	'user_contact_tabs',
	'active_calls',
	'call_queue',
	'campaign_progress',
	'transfer_queue',
	'agent_skills',
	'sms_messages',
	'sms_thread_locks',
	'live_transcript_lines'
] as const;
export type TableName = (typeof TABLE_NAMES)[number];
