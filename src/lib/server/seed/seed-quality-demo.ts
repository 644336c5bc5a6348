/**
 * Demo quality data (local mode, on an archive with no calls yet): a few answered calls from
 * the scripted support calls, each with a recording in Storage (tones in place of speech, one
 * per transcript line, so the player has something to seek through), a finished transcript, the
 * local AI grade (run through the same grading code as the job) and a place in the review queue.
 */
import { randomBytes } from 'node:crypto';
import { count, inArray } from 'drizzle-orm';
import type { LanguageAiPort } from '../adapters/language-ai';
import type { StoragePort } from '../adapters/storage';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { calls } from '../db/schema/calls';
import { callTranscripts } from '../db/schema/transcripts';
import { gradeCall } from '../quality/grading/grade-call';
import { SCRIPTED_CALLS } from '../quality/grading/scripted-calls';
import { addToReviewQueue } from '../quality/review-queue';
import { encodeMonoWav } from '../transcripts/wav';
import type { EvidenceLine } from '../quality/grading/verify-evidence';

const RATE = 8000;

/** A quiet tone for each line (agent higher, customer lower), silence between. */
function toneTrack(lines: EvidenceLine[], seconds: number): Uint8Array {
	const samples = new Int16Array(seconds * RATE);
	for (const line of lines) {
		const freq = line.speaker === 'agent' ? 440 : 330;
		for (let i = Math.floor(line.start * RATE); i < Math.min(samples.length, Math.floor(line.end * RATE)); i++) samples[i] = Math.round(2000 * Math.sin((2 * Math.PI * freq * i) / RATE));
	}
	return encodeMonoWav(samples, RATE);
}

const DEMO_CALLS = [
	{ agent: 'alice@switchboard.local', script: 0, hoursAgo: 6 },
	{ agent: 'alice@switchboard.local', script: 3, hoursAgo: 12 },
	{ agent: 'bob@switchboard.local', script: 1, hoursAgo: 6 },
	{ agent: 'bob@switchboard.local', script: 5, hoursAgo: 18 }
];

export async function seedQualityDemo(deps: { db: Db; storage: StoragePort; languageAi: LanguageAiPort }, now = new Date()): Promise<number> {
	const { db } = deps;
	const [existing] = await db.select({ n: count() }).from(calls);
	if ((existing?.n ?? 0) > 0) return 0;
	const agents = await db.select({ id: user.id, email: user.email }).from(user).where(inArray(user.email, [...new Set(DEMO_CALLS.map((c) => c.agent))]));
	const idOf = new Map(agents.map((a) => [a.email, a.id]));
	let seeded = 0;
	for (const demo of DEMO_CALLS) {
		const agentId = idOf.get(demo.agent);
		const script = SCRIPTED_CALLS[demo.script];
		if (!agentId || !script) continue;
		const seconds = Math.ceil(Math.max(...script.lines.map((l) => l.end))) + 2;
		const callSid = `CA${randomBytes(16).toString('hex')}`;
		const recordingSid = `RE${randomBytes(16).toString('hex')}`;
		const key = `recordings/${callSid}/${recordingSid}.wav`;
		await deps.storage.put(key, toneTrack(script.lines, seconds), 'audio/wav');
		const receivedAt = new Date(now.getTime() - demo.hoursAgo * 3_600_000);
		const [call] = await db
			.insert(calls)
			.values({
				callSid,
				direction: 'inbound',
				fromRaw: '+12125550100',
				toRaw: '+14155550101',
				queue: 'support',
				status: 'completed',
				statusRank: 3,
				outcome: 'answered',
				agentId,
				receivedAt,
				answeredAt: new Date(receivedAt.getTime() + 15_000),
				endedAt: new Date(receivedAt.getTime() + 15_000 + seconds * 1000),
				waitSeconds: 15,
				talkSeconds: seconds,
				recordingSid,
				recordingStatus: 'stored',
				recordingKey: key,
				recordingSeconds: seconds,
				recordingChannels: 1
			})
			.returning({ id: calls.id });
		await db.insert(callTranscripts).values({
			callId: call!.id,
			recordingSid,
			kind: 'call',
			agentId,
			queue: 'support',
			direction: 'inbound',
			occurredAt: receivedAt,
			status: 'done',
			engine: 'demo',
			language: 'en',
			durationSeconds: seconds,
			text: script.lines.map((l) => l.text).join(' '),
			segments: script.lines,
			completedAt: new Date()
		});
		await addToReviewQueue(db, call!.id, 'sampled', null);
		await gradeCall({ db, languageAi: deps.languageAi }, { callId: call!.id });
		seeded += 1;
	}
	return seeded;
}

