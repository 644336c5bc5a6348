/**
 * The admin procedures beyond role changes: staff lifecycle, agents' skills (archive and hot
 * state), queues and numbers. Each change must be refused to non-admins, write one audit row
 * in the same transaction, and leave nothing half written when refused.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { createAuth, type Auth } from '../../auth/auth';
import type { SessionUser } from '../../auth/session-user';
import { browserHeaders, makeStaff, testConfig } from '../../auth/test-helpers';
import { signInWithPassword } from '../../auth/sign-in';
import { adminAudit } from '../../db/schema/admin';
import { session, user } from '../../db/schema/auth';
import { agentSkills, skills } from '../../db/schema/staff';
import { calls, voiceQueues } from '../../db/schema/calls';
import { SYSTEM_IDENTITY } from '../../live/hot';
import type { Services } from '../../services';
import { findVoiceQueue } from '../../calls/find-voice-queue';
import { ACCOUNT_SID, createVoiceHarness, newCallSid, type VoiceHarness } from '../../calls/test-harness';
import { VOICE_PATHS } from '../../calls/voice-paths';
import { createCallerFactory } from '../init';
import { adminRouter } from './admin';

let h: VoiceHarness;
let auth: Auth;
let admin: SessionUser;
const createCaller = createCallerFactory(adminRouter);
const as = (who: SessionUser | null) => createCaller({ services: { ...h.services, auth } as unknown as Services, user: who });
const PASSWORD = 'long-enough-password-1';

async function auditFor(entityId: string) {
	return h.testDb.db.select().from(adminAudit).where(eq(adminAudit.entityId, entityId));
}

beforeAll(async () => {
	h = await createVoiceHarness();
	auth = createAuth(h.testDb.db, testConfig());
	admin = await makeStaff(h.testDb.db, 'admin');
	await h.testDb.db.insert(skills).values([
		{ id: 'spanish', name: 'Spanish' },
		{ id: 'billing', name: 'Billing' }
	]);
}, 60_000);
afterAll(() => h.close());

describe('staff accounts', () => {
	it('creates an account that can sign in, audited without the password', async () => {
		const created = await as(admin).createUser({ name: 'Ada Agent', email: 'Ada@Test.local', password: PASSWORD, role: 'agent' });
		expect(created).toMatchObject({ email: 'ada@test.local', role: 'agent', banned: false });
		const signedIn = await signInWithPassword(auth, { email: 'ada@test.local', password: PASSWORD, headers: browserHeaders() });
		expect(signedIn.ok).toBe(true);
		const [row] = await auditFor(created.id);
		expect(row).toMatchObject({ actorId: admin.id, actorEmail: admin.email, action: 'user.create', entity: 'user', before: null });
		expect(JSON.stringify(row?.after)).not.toContain(PASSWORD);
	});

	it('refuses passwords under 12 characters and says so', async () => {
		await expect(as(admin).createUser({ name: 'Shorty', email: 'shorty@test.local', password: 'elevenchars', role: 'agent' })).rejects.toThrow(
			'Use at least 12 characters for the password.'
		);
		expect(await h.testDb.db.select().from(user).where(eq(user.email, 'shorty@test.local'))).toHaveLength(0);
	});

	it('deactivates: banned, sessions ended, audited; reactivates', async () => {
		const agent = await as(admin).createUser({ name: 'Bo Banned', email: 'bo@test.local', password: PASSWORD, role: 'agent' });
		expect((await signInWithPassword(auth, { email: 'bo@test.local', password: PASSWORD, headers: browserHeaders() })).ok).toBe(true);
		expect(await h.testDb.db.select().from(session).where(eq(session.userId, agent.id))).toHaveLength(1);

		await h.hot.mutation(api.agentStatus.hydrate, { agents: [{ userId: agent.id, name: agent.name, role: 'agent' }], removeMissing: false }, SYSTEM_IDENTITY);
		const onRoster = async () => (await h.hot.query(api.agentStatus.list, {}, { subject: admin.id, role: 'admin' })).some((a) => a.userId === agent.id);
		expect(await onRoster()).toBe(true);

		expect((await as(admin).setUserActive({ userId: agent.id, active: false })).banned).toBe(true);
		expect(await onRoster()).toBe(false);
		expect(await h.testDb.db.select().from(session).where(eq(session.userId, agent.id))).toHaveLength(0);
		expect((await signInWithPassword(auth, { email: 'bo@test.local', password: PASSWORD, headers: browserHeaders() })).ok).toBe(false);

		expect((await as(admin).setUserActive({ userId: agent.id, active: true })).banned).toBe(false);
		expect(await onRoster()).toBe(true);
		expect((await auditFor(agent.id)).map((r) => r.action).sort()).toEqual(['user.create', 'user.deactivate', 'user.reactivate']);
	});

	it('refuses deactivating the last admin', async () => {
		await expect(as(admin).setUserActive({ userId: admin.id, active: false })).rejects.toMatchObject({
			code: 'CONFLICT',
			message: 'You are the last admin: make someone else an admin before deactivating your own account.'
		});
		const [row] = await h.testDb.db.select({ banned: user.banned }).from(user).where(eq(user.id, admin.id));
		expect(row?.banned).toBe(false);
		expect(await auditFor(admin.id)).toHaveLength(0);
	});

	it('resets a password: the old one stops working, sessions end, audited', async () => {
		const agent = await as(admin).createUser({ name: 'Reza Reset', email: 'reza@test.local', password: PASSWORD, role: 'agent' });
		await signInWithPassword(auth, { email: 'reza@test.local', password: PASSWORD, headers: browserHeaders() });
		await as(admin).resetPassword({ userId: agent.id, password: 'a-brand-new-password' });
		expect((await signInWithPassword(auth, { email: 'reza@test.local', password: PASSWORD, headers: browserHeaders() })).ok).toBe(false);
		expect(await h.testDb.db.select().from(session).where(eq(session.userId, agent.id))).toHaveLength(0);
		expect((await signInWithPassword(auth, { email: 'reza@test.local', password: 'a-brand-new-password', headers: browserHeaders() })).ok).toBe(true);
		expect((await auditFor(agent.id)).find((r) => r.action === 'user.reset_password')?.after).toEqual({ passwordChanged: true, sessionsEnded: 1 });
	});

	it('audits role changes', async () => {
		const agent = await makeStaff(h.testDb.db, 'agent');
		await as(admin).setRole({ userId: agent.id, role: 'supervisor' });
		expect(await auditFor(agent.id)).toMatchObject([{ action: 'user.set_role', before: { role: 'agent' }, after: { role: 'supervisor' } }]);
	});

	it('lists the audit trail newest first, to admins only', async () => {
		const agent = await makeStaff(h.testDb.db, 'agent');
		await as(admin).setRole({ userId: agent.id, role: 'manager' });
		const [latest] = await as(admin).listAudit({ limit: 5 });
		expect(latest).toMatchObject({ actorEmail: admin.email, action: 'user.set_role', entityId: agent.id, after: { role: 'manager' } });
		await expect(as(agent).listAudit()).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('is FORBIDDEN to a supervisor', async () => {
		const supervisor = await makeStaff(h.testDb.db, 'supervisor');
		const agent = await makeStaff(h.testDb.db, 'agent');
		await expect(as(supervisor).setUserActive({ userId: agent.id, active: false })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(as(supervisor).resetPassword({ userId: agent.id, password: PASSWORD })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(as(null).listAgentSkills()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		expect(await auditFor(agent.id)).toHaveLength(0);
	});
});

describe('agent skills', () => {
	it('replaces an agent’s skills in the archive and hot state, audited', async () => {
		const agent = await makeStaff(h.testDb.db, 'agent');
		await h.testDb.db.insert(agentSkills).values({ userId: agent.id, skill: 'billing', level: 2 });
		const saved = await as(admin).setAgentSkills({ userId: agent.id, skills: [{ skill: 'spanish', level: 4 }] });
		expect(saved).toEqual([{ skill: 'spanish', level: 4 }]);
		expect(await h.testDb.db.select({ skill: agentSkills.skill, level: agentSkills.level }).from(agentSkills).where(eq(agentSkills.userId, agent.id))).toEqual([
			{ skill: 'spanish', level: 4 }
		]);
		const hot = await h.hot.query(api.agentSkills.list, { userId: agent.id }, { subject: admin.id, role: 'admin' });
		expect(hot).toEqual([{ userId: agent.id, skill: 'spanish', level: 4 }]);
		expect(await auditFor(agent.id)).toMatchObject([{ action: 'agent_skills.set', before: [{ skill: 'billing', level: 2 }], after: [{ skill: 'spanish', level: 4 }] }]);

		const listed = await as(admin).listAgentSkills();
		expect(listed.agents.find((a) => a.userId === agent.id)?.skills).toEqual([{ skill: 'spanish', level: 4 }]);
		expect(listed.catalog.map((s) => s.id)).toEqual(expect.arrayContaining(['spanish', 'billing']));
	});

	it('refuses unknown skills, duplicates and bad levels, changing nothing', async () => {
		const agent = await makeStaff(h.testDb.db, 'agent');
		await expect(as(admin).setAgentSkills({ userId: agent.id, skills: [{ skill: 'klingon', level: 3 }] })).rejects.toThrow(
			'Unknown skill "klingon": add it to the skill catalog first.'
		);
		await expect(
			as(admin).setAgentSkills({ userId: agent.id, skills: [{ skill: 'spanish', level: 3 }, { skill: 'spanish', level: 2 }] })
		).rejects.toThrow('Skill "spanish" is listed twice; keep one.');
		await expect(as(admin).setAgentSkills({ userId: agent.id, skills: [{ skill: 'spanish', level: 9 }] })).rejects.toThrow('Skill levels go from 1 to 5.');
		expect(await h.testDb.db.select().from(agentSkills).where(eq(agentSkills.userId, agent.id))).toHaveLength(0);
		expect(await auditFor(agent.id)).toHaveLength(0);
	});

	it('adds a skill to the catalog, refusing a taken id', async () => {
		expect(await as(admin).addSkill({ id: 'german', name: 'German', description: '' })).toEqual({ id: 'german', name: 'German', description: '' });
		await expect(as(admin).addSkill({ id: 'german', name: 'Deutsch', description: '' })).rejects.toMatchObject({ code: 'CONFLICT' });
		expect(await auditFor('german')).toHaveLength(1);
	});

	it('is FORBIDDEN to a manager', async () => {
		const manager = await makeStaff(h.testDb.db, 'manager');
		await expect(as(manager).setAgentSkills({ userId: manager.id, skills: [] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(as(manager).addSkill({ id: 'x', name: 'X', description: '' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});
});

const QUEUE = {
	number: '(415) 555-0177',
	name: 'billing',
	requiredSkills: ['billing'],
	openingHours: { timezone: 'Europe/Berlin', days: { '1': [['09:00', '17:00']] as [string, string][] } },
	maxWaitSeconds: 120,
	ringSeconds: 15,
	wrapupSeconds: 30,
	consentNotice: 'Calls are recorded.',
	voicemailEnabled: false,
	voicemailGreeting: 'Leave a message.'
};

describe('queues and numbers', () => {
	it('creates a queue with its number in E.164, which the call path then reads', async () => {
		const saved = await as(admin).saveQueue({ originalNumber: null, queue: QUEUE });
		expect(saved).toMatchObject({ number: '+14155550177', name: 'billing', voicemailEnabled: false, consentNotice: 'Calls are recorded.' });
		expect(await findVoiceQueue(h.testDb.db, '+14155550177')).toMatchObject({ wrapupSeconds: 30, maxWaitSeconds: 120, openingHours: QUEUE.openingHours });
		expect(await auditFor('+14155550177')).toMatchObject([{ action: 'voice_queue.create', before: null, after: { name: 'billing' } }]);
		expect((await as(admin).listQueues()).map((q) => q.number)).toContain('+14155550177');
	});

	it('edits a queue, moving it to a new number, audited with before and after', async () => {
		await as(admin).saveQueue({ originalNumber: null, queue: { ...QUEUE, number: '+14155550178', name: 'edit-me' } });
		await as(admin).saveQueue({ originalNumber: '+14155550178', queue: { ...QUEUE, number: '+14155550179', name: 'edited', wrapupSeconds: 90 } });
		expect(await findVoiceQueue(h.testDb.db, '+14155550178')).toBeNull();
		expect(await findVoiceQueue(h.testDb.db, '+14155550179')).toMatchObject({ name: 'edited', wrapupSeconds: 90 });
		expect(await auditFor('+14155550179')).toMatchObject([{ action: 'voice_queue.update', before: { name: 'edit-me' }, after: { name: 'edited' } }]);
	});

	it('refuses a duplicate number, an invalid number, unknown skills and bad hours, writing nothing', async () => {
		const count = async () => (await h.testDb.db.select().from(voiceQueues)).length;
		const before = await count();
		await expect(as(admin).saveQueue({ originalNumber: null, queue: { ...QUEUE, number: '+14155550100' } })).rejects.toMatchObject({
			code: 'CONFLICT',
			message: '+14155550100 already goes to queue sales; edit that queue or choose another number.'
		});
		await expect(as(admin).saveQueue({ originalNumber: null, queue: { ...QUEUE, number: '12' } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await expect(as(admin).saveQueue({ originalNumber: null, queue: { ...QUEUE, number: '+14155550180', requiredSkills: ['nope'] } })).rejects.toThrow(
			'Unknown skill "nope"'
		);
		await expect(
			as(admin).saveQueue({ originalNumber: null, queue: { ...QUEUE, number: '+14155550181', openingHours: { timezone: 'Mars/Olympus', days: {} } } })
		).rejects.toThrow('Choose a time zone such as Europe/Berlin');
		await expect(
			as(admin).saveQueue({ originalNumber: null, queue: { ...QUEUE, number: '+14155550182', openingHours: { timezone: 'UTC', days: { '2': [['18:00', '09:00']] } } } })
		).rejects.toThrow('Each opening range must end after it starts');
		await expect(as(admin).saveQueue({ originalNumber: null, queue: { ...QUEUE, number: '+14155550183', wrapupSeconds: -1 } })).rejects.toThrow(
			'Wrap-up time must be at least 0 seconds.'
		);
		expect(await count()).toBe(before);
		expect(await h.testDb.db.select().from(adminAudit).where(and(eq(adminAudit.entity, 'voice_queue'), eq(adminAudit.entityId, '+14155550180')))).toHaveLength(0);
	});

	it('the next call hears the saved consent notice, and a closed queue without voicemail hangs up', async () => {
		const call = (to: string) => ({ CallSid: newCallSid(), AccountSid: ACCOUNT_SID, From: '+12125550166', To: to, CallStatus: 'ringing', Direction: 'inbound' });
		await as(admin).saveQueue({ originalNumber: null, queue: { ...QUEUE, number: '+14155550184', name: 'open-line', openingHours: null, requiredSkills: [] } });
		const open = await (await h.post(VOICE_PATHS.incoming, call('+14155550184'))).text();
		expect(open).toContain('<Say>Calls are recorded.</Say>');
		expect(open).not.toContain('may be recorded for quality');

		await as(admin).saveQueue({
			originalNumber: null,
			queue: { ...QUEUE, number: '+14155550185', name: 'closed-line', openingHours: { timezone: 'UTC', days: {} }, voicemailEnabled: false }
		});
		const closedCall = call('+14155550185');
		const closed = await (await h.post(VOICE_PATHS.incoming, closedCall)).text();
		const [closedRow] = await h.testDb.db.select({ voicemailAt: calls.voicemailAt }).from(calls).where(eq(calls.callSid, closedCall.CallSid));
		expect(closedRow).toEqual({ voicemailAt: null });
		expect(closed).toContain('Please call again later.');
		expect(closed).toContain('<Hangup/>');
		expect(closed).not.toContain('<Record');

		await as(admin).saveQueue({ originalNumber: '+14155550185', queue: { ...QUEUE, number: '+14155550185', name: 'closed-line', openingHours: { timezone: 'UTC', days: {} }, voicemailEnabled: true } });
		const greeting = await (await h.post(VOICE_PATHS.incoming, call('+14155550185'))).text();
		expect(greeting).toContain('<Say>Leave a message.</Say>');
		expect(greeting).toContain('<Record');
	});

	it('refuses to rename a queue while a caller waits in it, and renames it once the caller has hung up', async () => {
		const number = '+14155550186';
		await as(admin).saveQueue({ originalNumber: null, queue: { ...QUEUE, number, name: 'rename-me', openingHours: null, requiredSkills: [] } });
		const caller = { CallSid: newCallSid(), AccountSid: ACCOUNT_SID, From: '+12125550167', To: number, CallStatus: 'ringing', Direction: 'inbound' };
		expect((await h.post(VOICE_PATHS.incoming, caller)).status).toBe(200);
		await expect(as(admin).saveQueue({ originalNumber: number, queue: { ...QUEUE, number, name: 'renamed', openingHours: null, requiredSkills: [] } })).rejects.toMatchObject({
			code: 'CONFLICT',
			message: '1 caller is waiting in or ringing from queue rename-me; rename it when nobody is waiting (the wallboard shows its line).'
		});
		expect(await findVoiceQueue(h.testDb.db, number)).toMatchObject({ name: 'rename-me' });
		expect((await auditFor(number)).map((a) => a.action)).toEqual(['voice_queue.create']);

		expect((await h.post(VOICE_PATHS.status, { ...caller, CallStatus: 'completed', CallDuration: '4' })).ok).toBe(true);
		await as(admin).saveQueue({ originalNumber: number, queue: { ...QUEUE, number, name: 'renamed', openingHours: null, requiredSkills: [] } });
		expect(await findVoiceQueue(h.testDb.db, number)).toMatchObject({ name: 'renamed' });
	});

	it('is FORBIDDEN to a supervisor', async () => {
		const supervisor = await makeStaff(h.testDb.db, 'supervisor');
		await expect(as(supervisor).saveQueue({ originalNumber: null, queue: { ...QUEUE, number: '+14155550190' } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(as(supervisor).listQueues()).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect(await findVoiceQueue(h.testDb.db, '+14155550190')).toBeNull();
	});
});

