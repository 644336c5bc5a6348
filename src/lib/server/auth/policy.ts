/**
 * The one authorization policy: for every entry point (tRPC procedure, +server.ts handler, form
 * action, page load, public Convex function) who may call it and which object-level rule its
 * body applies on top. policy.test.ts enumerates the entry points from the code itself, fails
 * when one has no line here (or a line has no entry point), and calls each one as every role and
 * as an anonymous caller to check that refusals match this table.
 *
 * Entry ids:
 *   trpc:<router>.<procedure>        (appRouter's dotted path)
 *   http:<METHOD> <route id>         (an export of a +server.ts, route id as SvelteKit spells it)
 *   action:<route id>?/<name>        (a form action of a +page.server.ts)
 *   load:<route id>                  (a +page.server.ts load)
 *   layout:<route id>                (a +layout.server.ts load)
 *   convex:<module>.<function>       (public Convex functions; internal ones are not entry points)
 *   auth:<path>                      (better-auth's HTTP endpoints under /api/auth that answer;
 *                                     every other one answers 404, auth/http-endpoints.ts)
 *
 * The role builders (agentProcedure..., agentQuery...) and the hooks' page guards enforce the
 * roles; the object rules are enforced in the domain functions named in OBJECT_RULES.
 */
import { ROLE_GUARDS, type Guard, type Role } from '../../roles';

/** Who gets past the entry point's own check. */
export type Gate =
	/** Signed-in staff with one of these roles. */
	| { kind: 'roles'; roles: readonly Role[] }
	/** Anyone, anonymous included (sign-in, health, public keys, hold music). */
	| { kind: 'public' }
	/** Twilio (or the local carrier) with a valid X-Twilio-Signature; no session involved. */
	| { kind: 'twilio-signature' }
	/**
	 * The local carrier and its customer phone (TELEPHONY=local only): any signed-in staff member,
	 * or the carrier's own account SID and auth token as HTTP Basic credentials (its REST, as
	 * Twilio's API, and `npm run carrier`); nobody anonymous.
	 */
	| { kind: 'local-carrier' }
	/** Storage's HMAC-signed, short-lived URL is the credential. */
	| { kind: 'signed-url' }
	/** Each tRPC procedure decides (the tRPC endpoint itself lets every request through to them). */
	| { kind: 'per-procedure' }
	/** Only the Switchboard server's own identity (Convex role `system`). */
	| { kind: 'system' };

/** Object-level rules, applied inside the entry point after the role check; the text says who passes. */
export const OBJECT_RULES = {
	'call-listener':
		"a call's recording and notes: its agent, the holder of its callback task (or, while open, agents who may take it), managers, supervisors, admins (no per-queue supervisors exist); others see the call without them (calls/call-access.ts)",
	'call-agent-live': "a call's live transcript: the agent on it (while it is in hot state, wrap-up included), managers, supervisors, admins (convex/liveTranscript.ts forCall)",
	'transfer-party':
		'a transfer is started on a call the caller is the agent on; completed, cancelled or joined by the agent who started it; accepted or declined by its target only (transfers/start-transfer.ts, convex/transfers.ts advance)',
	'call-controller':
		"hold and resume: the agent on the call only; a call's parties (list, add, drop): its agent, an agent in its conference, managers and up; an agent added must be another active staff member, available with a ready softphone and on no call; monitor, whisper, barge: managers and supervisors, never on their own call (call-control/)",
	'call-agent':
		'a call the caller is the agent on (a supervisor may pause recordings of any call); its wrap-up is the agent who had the caller at the end (the target of a completed transfer), and a first agent a transfer took off the call wraps up their own hand-off (calls/set-call-recording.ts, wrap-up-call.ts, handoff-wrapup.ts)',
	'thread-sender':
		'sending into a thread: unassigned or assigned to the sender; one assigned to someone else needs manager, supervisor or admin (sms/send-in-thread.ts; a first text from a record, outbound/start-text-thread.ts, goes on in the customer’s thread under the same rule), and the lease holder only (smsLocks.assertHolder)',
	'search-scope':
		"search finds the calls and voicemails the caller may hear ('call-listener'; managers, supervisors, admins: all) and every text ('shared-inbox') (search/search-scope.ts)",
	'shared-inbox': "every staff member reads every thread and its messages: the inbox is shared, 'mine' is a filter",
	'thread-lease': 'a thread lease is renewed and released by its holder only; takeover is for supervisors (convex/smsLocks.ts)',
	'callback-holder': 'claims open tasks of queues whose skills the caller has (managers: all); the holder or a supervisor completes or releases (callbacks/)',
	self: "the caller's own row only: takes no user id (preferences, status, tabs, wrap-ups, ringing calls, the live token and streams)",
	'last-admin': 'an admin may not remove the last admin (auth/set-user-role.ts)',
	'scorecard-reader':
		"scorecards: an agent reads only their own submitted review cards and agent page (never drafts or calibration scores); graders read every submitted card, their own drafts, and others' calibration scores only after submitting their own (quality/scorecards.ts)",
	'scorecard-grader': 'managers and supervisors grade; a grader edits only their own card, and only while it is a draft (quality/scorecards.ts)',
	'summary-reader': "performance summaries: an agent reads and generates only their own agent summary; managers, supervisors and admins every agent's and queue's (quality/summaries/generate-summary.ts)",
	'ai-grade-reader': "a call's AI grade: the call's agent, managers, supervisors, admins (quality/ai-grade-view.ts)",
	'scorecard-agent': 'acknowledging, commenting on and disputing a scorecard: the agent it is about; answering: managers and supervisors (quality/scorecard-replies.ts)',
	'lead-holder': 'a campaign lead is dialled, skipped and dispositioned only by the agent who claimed it with Next call (campaigns/next-call.ts, finish-lead.ts)',
	'own-figures': 'reports: an agent reads only their own figures (the agents filter must be exactly themselves); managers, supervisors and admins read every queue and agent (reporting/report-access.ts)',
} as const;
export type ObjectRule = keyof typeof OBJECT_RULES;

export interface PolicyEntry {
	gate: Gate;
	rule?: ObjectRule;
}

const staff = (guard: Guard): Gate => ({ kind: 'roles', roles: ROLE_GUARDS[guard] });
const AGENT = staff('agent');
const MANAGER = staff('manager');
const SUPERVISOR = staff('supervisor');
const ADMIN = staff('admin');
const PUBLIC: Gate = { kind: 'public' };
const SIGNED: Gate = { kind: 'twilio-signature' };
const CARRIER: Gate = { kind: 'local-carrier' };
const SYSTEM: Gate = { kind: 'system' };

const e = (gate: Gate, rule?: ObjectRule): PolicyEntry => (rule ? { gate, rule } : { gate });

const TRPC: Record<string, PolicyEntry> = {
	'trpc:campaigns.list': e(AGENT),
	'trpc:campaigns.dispositions': e(AGENT),
	'trpc:campaigns.create': e(MANAGER),
	'trpc:campaigns.setStatus': e(MANAGER),
	'trpc:campaigns.importLeads': e(MANAGER),
	'trpc:campaigns.next': e(AGENT, 'self'),
	'trpc:campaigns.dial': e(AGENT, 'lead-holder'),
	'trpc:campaigns.skip': e(AGENT, 'lead-holder'),
	'trpc:campaigns.disposition': e(AGENT, 'lead-holder'),
	'trpc:admin.listUsers': e(ADMIN),
	'trpc:admin.setRole': e(ADMIN, 'last-admin'),
	'trpc:admin.createUser': e(ADMIN),
	'trpc:admin.setUserActive': e(ADMIN, 'last-admin'),
	'trpc:admin.resetPassword': e(ADMIN),
	'trpc:admin.listAgentSkills': e(ADMIN),
	'trpc:admin.setAgentSkills': e(ADMIN),
	'trpc:admin.addSkill': e(ADMIN),
	'trpc:admin.listQueues': e(ADMIN),
	'trpc:admin.saveQueue': e(ADMIN),
	'trpc:admin.listAudit': e(ADMIN),
	'trpc:callbacks.list': e(AGENT, 'callback-holder'),
	'trpc:callbacks.claim': e(AGENT, 'callback-holder'),
	'trpc:callbacks.complete': e(AGENT, 'callback-holder'),
	'trpc:callbacks.release': e(AGENT, 'callback-holder'),
	'trpc:callControl.hold': e(AGENT, 'call-controller'),
	'trpc:callControl.resume': e(AGENT, 'call-controller'),
	'trpc:callControl.participants': e(AGENT, 'call-controller'),
	'trpc:callControl.settings': e(AGENT),
	'trpc:callControl.addParticipant': e(AGENT, 'call-controller'),
	'trpc:callControl.dropParticipant': e(AGENT, 'call-controller'),
	'trpc:callControl.monitor': e(MANAGER, 'call-controller'),
	'trpc:callControl.stopMonitor': e(MANAGER, 'call-controller'),
	'trpc:calls.detail': e(AGENT, 'call-listener'),
	'trpc:calls.recordingUrl': e(AGENT, 'call-listener'),
	'trpc:calls.setRecording': e(AGENT, 'call-agent'),
	'trpc:calls.retryTranscript': e(MANAGER),
	'trpc:calls.readyNow': e(AGENT, 'call-agent'),
	'trpc:calls.wrapUp': e(AGENT, 'call-agent'),
	'trpc:transfers.directory': e(AGENT),
	'trpc:transfers.start': e(AGENT, 'transfer-party'),
	'trpc:transfers.accept': e(AGENT, 'transfer-party'),
	'trpc:transfers.decline': e(AGENT, 'transfer-party'),
	'trpc:transfers.cancel': e(AGENT, 'transfer-party'),
	'trpc:transfers.complete': e(AGENT, 'transfer-party'),
	'trpc:transfers.joinAll': e(AGENT, 'transfer-party'),
	'trpc:compliance.add': e(MANAGER),
	'trpc:compliance.remove': e(MANAGER),
	'trpc:compliance.status': e(AGENT),
	'trpc:compliance.states': e(AGENT),
	'trpc:compliance.actors': e(AGENT),
	'trpc:compliance.list': e(AGENT),
	'trpc:compliance.attempts': e(AGENT),
	'trpc:compliance.import': e(MANAGER),
	'trpc:compliance.exportCsv': e(MANAGER),
	'trpc:reports.history': e(AGENT, 'own-figures'),
	'trpc:reports.wallboard': e(MANAGER),
	'trpc:crm.lookupByPhone': e(AGENT),
	'trpc:crm.search': e(AGENT),
	'trpc:crm.get': e(AGENT, 'call-listener'),
	'trpc:crm.timeline': e(AGENT, 'call-listener'),
	'trpc:crm.create': e(AGENT),
	'trpc:crm.update': e(AGENT),
	'trpc:preferences.mine': e(AGENT, 'self'),
	'trpc:preferences.update': e(AGENT, 'self'),
	'trpc:quality.scorecard.save': e(MANAGER, 'scorecard-grader'),
	'trpc:quality.scorecard.mine': e(MANAGER, 'scorecard-grader'),
	'trpc:quality.scorecard.get': e(AGENT, 'scorecard-reader'),
	'trpc:quality.scorecard.list': e(AGENT, 'scorecard-reader'),
	'trpc:quality.scorecard.acknowledge': e(AGENT, 'scorecard-agent'),
	'trpc:quality.scorecard.reply': e(AGENT, 'scorecard-agent'),
	'trpc:quality.scorecard.replies': e(AGENT, 'scorecard-reader'),
	'trpc:quality.calibration.start': e(MANAGER),
	'trpc:quality.calibration.get': e(MANAGER, 'scorecard-reader'),
	'trpc:quality.calibration.list': e(MANAGER),
	'trpc:quality.anchors': e(AGENT),
	'trpc:quality.saveAnchors': e(ADMIN),
	'trpc:quality.anchorHistory': e(ADMIN),
	'trpc:quality.queue': e(MANAGER),
	'trpc:quality.openForReview': e(MANAGER),
	'trpc:quality.aiGrade': e(AGENT, 'ai-grade-reader'),
	'trpc:quality.requestAiGrade': e(MANAGER),
	'trpc:quality.agreement': e(MANAGER),
	'trpc:quality.agentProfile': e(AGENT, 'scorecard-reader'),
	'trpc:quality.review': e(MANAGER, 'scorecard-reader'),
	'trpc:quality.summary.latest': e(AGENT, 'summary-reader'),
	'trpc:quality.summary.generate': e(AGENT, 'summary-reader'),
	'trpc:quality.settings': e(MANAGER),
	'trpc:quality.saveSettings': e(MANAGER),
	'trpc:search.query': e(AGENT, 'search-scope'),
	'trpc:search.filters': e(AGENT),
	'trpc:outbound.precheck': e(AGENT),
	'trpc:sms.inbox': e(AGENT, 'shared-inbox'),
	'trpc:sms.messages': e(AGENT, 'shared-inbox'),
	'trpc:sms.attachments': e(AGENT, 'shared-inbox'),
	'trpc:sms.open': e(AGENT, 'shared-inbox'),
	'trpc:sms.send': e(AGENT, 'thread-sender'),
	'trpc:sms.startThread': e(AGENT, 'thread-sender'),
	'trpc:sms.markRead': e(AGENT, 'self'),
	'trpc:sms.assign': e(AGENT, 'shared-inbox'),
	'trpc:sms.grammar': e(AGENT),
	'trpc:sms.canned.list': e(AGENT),
	'trpc:sms.canned.render': e(AGENT),
	'trpc:sms.canned.create': e(MANAGER),
	'trpc:sms.canned.update': e(MANAGER),
	'trpc:sms.canned.retire': e(MANAGER)
};

const WEBHOOKS = [
	'/webhooks/twilio/sms',
	'/webhooks/twilio/sms/fallback',
	'/webhooks/twilio/sms/status',
	'/webhooks/twilio/voice',
	'/webhooks/twilio/voice/dial-action',
	'/webhooks/twilio/voice/conference',
	'/webhooks/twilio/voice/enqueue-action',
	'/webhooks/twilio/voice/fallback',
	'/webhooks/twilio/voice/hold-music',
	'/webhooks/twilio/voice/outbound',
	'/webhooks/twilio/voice/outbound/dial-action',
	'/webhooks/twilio/voice/outbound/notice',
	'/webhooks/twilio/voice/outbound/status',
	'/webhooks/twilio/voice/queue-bridge',
	'/webhooks/twilio/voice/recording',
	'/webhooks/twilio/voice/status',
	'/webhooks/twilio/voice/transcription',
	'/webhooks/twilio/voice/voicemail-done',
	'/webhooks/twilio/voice/wait'
];

const HTTP: Record<string, PolicyEntry> = {
	'http:GET /(app)/compliance/export.csv': e(MANAGER),
	'http:GET /.well-known/jwks.json': e(PUBLIC),
	'http:GET /api/live': e(AGENT, 'self'),
	'http:POST /api/live/mutation': e(AGENT),
	'http:POST /api/live/subscribe': e(AGENT, 'self'),
	'http:GET /api/live/token': e(AGENT, 'self'),
	'http:POST /api/live/unsubscribe': e(AGENT, 'self'),
	'http:GET /api/sms/inbox-events': e(AGENT, 'shared-inbox'),
	'http:GET /api/transfers/events': e(AGENT, 'self'),
	'http:GET /api/notices/voicemail': e(AGENT, 'callback-holder'),
	'http:GET /api/reporting/wallboard-events': e(MANAGER),
	'http:GET /api/reporting/alerts': e(MANAGER),
	'http:GET /(app)/reports/export.csv': e(AGENT, 'own-figures'),
	'http:POST /api/softphone/action': e(AGENT, 'self'),
	'http:GET /api/softphone/events': e(AGENT, 'self'),
	'http:GET /api/softphone/token': e(AGENT, 'self'),
	'http:GET /api/trpc/[...trpc]': e({ kind: 'per-procedure' }),
	'http:POST /api/trpc/[...trpc]': e({ kind: 'per-procedure' }),
	'http:GET /audio/hold-music.wav': e(PUBLIC),
	'http:GET /carrier/[...path]': e(CARRIER),
	'http:POST /carrier/[...path]': e(CARRIER),
	'http:DELETE /carrier/[...path]': e(CARRIER),
	'http:GET /files/[...key]': e({ kind: 'signed-url' }),
	'http:GET /healthz': e(PUBLIC),
	'http:POST /phone/api/call': e(CARRIER),
	'http:POST /phone/api/calls/[sid]/[action]': e(CARRIER),
	'http:GET /phone/api/events': e(CARRIER),
	'http:POST /phone/api/text': e(CARRIER),
	...Object.fromEntries(WEBHOOKS.map((path) => [`http:POST ${path}`, e(SIGNED)]))
};

const PAGES: Record<string, PolicyEntry> = {
	// The root layout tells anyone whether they are signed in; the app's needs a staff member.
	'layout:/': e(PUBLIC),
	'layout:/(app)': e(AGENT, 'self'),
	'load:/(app)/admin': e(ADMIN),
	'load:/(app)/admin/users': e(ADMIN),
	'load:/(app)/admin/audit': e(ADMIN),
	'load:/(app)/admin/queues': e(ADMIN),
	'load:/(app)/admin/skills': e(ADMIN),
	'load:/(app)/admin/anchors': e(ADMIN),
	'load:/(app)/campaigns': e(AGENT),
	'load:/(app)/callbacks': e(AGENT, 'callback-holder'),
	'load:/(app)/compliance': e(AGENT),
	'load:/(app)/customers': e(AGENT),
	'load:/(app)/customers/[id]': e(AGENT),
	'load:/(app)/customers/new': e(AGENT),
	'load:/(app)/sms/canned': e(MANAGER),
	'load:/(app)/quality': e(AGENT, 'scorecard-reader'),
	'load:/(app)/quality/calls/[id]': e(MANAGER, 'scorecard-reader'),
	'load:/(app)/quality/agents/[id]': e(AGENT, 'scorecard-reader'),
	'load:/(app)/reports': e(AGENT, 'own-figures'),
	'load:/login': e(PUBLIC),
	'load:/logout': e(PUBLIC),
	'load:/phone': e(CARRIER),
	'action:/login?/default': e(PUBLIC),
	'action:/logout?/default': e(PUBLIC),
	// better-auth's own; sign-in is throttled (login-throttle.ts), the others act on the caller's session only.
	'auth:/sign-in/email': e(PUBLIC),
	'auth:/get-session': e(PUBLIC, 'self'),
	'auth:/sign-out': e(PUBLIC, 'self')
};

const CONVEX: Record<string, PolicyEntry> = {
	'convex:callControl.noteLegs': e(SYSTEM),
	'convex:callControl.byLeg': e(SYSTEM),
	'convex:callControl.byConference': e(SYSTEM),
	'convex:callControl.beginMove': e(SYSTEM),
	'convex:callControl.abortMove': e(SYSTEM),
	'convex:callControl.agentPresence': e(SYSTEM),
	'convex:callControl.partyPresence': e(SYSTEM),
	'convex:callControl.requeueAlone': e(SYSTEM),
	'convex:callControl.applyParticipant': e(SYSTEM),
	'convex:callControl.conferenceStarted': e(SYSTEM),
	'convex:callControl.setHold': e(SYSTEM),
	'convex:callControl.addListener': e(SYSTEM),
	'convex:callControl.removeListener': e(SYSTEM),
	'convex:callControl.mine': e(AGENT, 'self'),
	'convex:agentSkills.list': e(AGENT),
	'convex:agentSkills.setForAgent': e(SYSTEM),
	'convex:agentSkills.replaceAll': e(SYSTEM),
	'convex:agentSkills.replaceForAgents': e(SYSTEM),
	'convex:agentSkills.pruneSkills': e(SYSTEM),
	'convex:agentStatus.pruneRoster': e(SYSTEM),
	'convex:health.ping': e(SYSTEM),
	'convex:transfers.offer': e(SYSTEM),
	'convex:transfers.advance': e(SYSTEM),
	'convex:transfers.setLegs': e(SYSTEM),
	'convex:transfers.requeueCaller': e(SYSTEM),
	'convex:transfers.expireOffers': e(SYSTEM),
	'convex:transfers.callFor': e(SYSTEM),
	'convex:transfers.directory': e(SYSTEM),
	'convex:transfers.get': e(SYSTEM),
	'convex:transfers.openForCall': e(SYSTEM),
	'convex:transfers.openForConference': e(SYSTEM),
	'convex:transfers.openCount': e(SYSTEM),
	'convex:transfers.mine': e(AGENT, 'self'),
	'convex:agentStatus.list': e(MANAGER),
	'convex:agentStatus.presence': e(SYSTEM),
	'convex:agentStatus.mine': e(AGENT, 'self'),
	'convex:agentStatus.setMine': e(AGENT, 'self'),
	'convex:agentStatus.heartbeat': e(AGENT, 'self'),
	'convex:agentStatus.hydrate': e(SYSTEM),
	'convex:callLine.routeInbound': e(SYSTEM),
	'convex:callLine.acceptCall': e(AGENT, 'self'),
	'convex:callLine.claimFromQueue': e(SYSTEM),
	'convex:callLine.callersWaitingIn': e(SYSTEM),
	'convex:callLine.offerWaiting': e(SYSTEM),
	'convex:callLine.declineCall': e(SYSTEM),
	'convex:callLine.missCall': e(SYSTEM),
	'convex:activeCalls.claimDial': e(SYSTEM),
	'convex:activeCalls.releaseDial': e(SYSTEM),
	'convex:activeCalls.answerDial': e(SYSTEM),
	'convex:callWrapup.completeCall': e(SYSTEM),
	'convex:callWrapup.finishWrapup': e(SYSTEM),
	'convex:callWrapup.endWrapup': e(SYSTEM),
	'convex:callWrapup.myWrapups': e(AGENT, 'self'),
	'convex:callHydration.hydrateCalls': e(SYSTEM),
	'convex:callBoard.board': e(MANAGER),
	'convex:callBoard.setRecording': e(SYSTEM),
	'convex:liveTranscript.addLine': e(SYSTEM),
	'convex:liveTranscript.started': e(SYSTEM),
	'convex:liveTranscript.stopped': e(SYSTEM),
	'convex:liveTranscript.forCall': e(AGENT, 'call-agent-live'),
	'convex:campaignQueue.hydrate': e(SYSTEM),
	'convex:campaignQueue.claimNext': e(SYSTEM),
	'convex:campaignQueue.drop': e(SYSTEM),
	'convex:campaignQueue.clearCampaign': e(SYSTEM),
	'convex:campaignQueue.setProgress': e(SYSTEM),
	'convex:campaignQueue.progress': e(MANAGER),
	'convex:campaignQueue.holder': e(SYSTEM),
	'convex:contactTabs.mine': e(AGENT, 'self'),
	'convex:contactTabs.open': e(AGENT, 'self'),
	'convex:contactTabs.close': e(AGENT, 'self'),
	'convex:smsLocks.forThread': e(AGENT, 'shared-inbox'),
	'convex:smsLocks.active': e(AGENT, 'shared-inbox'),
	'convex:smsLocks.acquire': e(AGENT, 'thread-lease'),
	'convex:smsLocks.heartbeat': e(AGENT, 'thread-lease'),
	'convex:smsLocks.release': e(AGENT, 'thread-lease'),
	'convex:smsLocks.takeOver': e(SUPERVISOR, 'thread-lease'),
	'convex:smsLocks.assertHolder': e(SYSTEM),
	'convex:smsLocks.releaseFor': e(SYSTEM),
	'convex:smsMessages.upsertRecent': e(SYSTEM),
	'convex:smsMessages.forThread': e(AGENT, 'shared-inbox')
};

export const POLICY: Readonly<Record<string, PolicyEntry>> = { ...TRPC, ...HTTP, ...PAGES, ...CONVEX };

/** Who the walk calls as: each staff role, and nobody signed in. */
export type Principal = Role | 'anonymous';

/**
 * Whether `principal` gets past the entry point's own check. Gates that are not about the
 * session (signatures, signed URLs) let everyone through to that check; the local carrier admits
 * staff (the walk sends no Basic credentials);
 * `system` admits no staff member and nobody anonymous.
 */
export function gateAdmits(gate: Gate, principal: Principal): boolean {
	switch (gate.kind) {
		case 'roles':
			return principal !== 'anonymous' && gate.roles.includes(principal);
		case 'system':
			return false;
		case 'local-carrier':
			return principal !== 'anonymous';
		default:
			return true;
	}
}
