/**
 * AI grading of one call: the call's stored transcript goes to the LanguageAI port with the
 * rubric (the current anchors) and the grade schema; every evidence quote in the answer is
 * checked against the transcript (verify-evidence.ts), quotes that are not there are dropped,
 * and a score left without evidence is stored as unverified. The grade sits in ai_grades beside
 * (never over) the managers' scorecards; a low grade or a failure puts the call in the review
 * queue. When the adapter takes audio (Gemini) and the recording fits its inline limit, the
 * recording goes along too. Runs as the `grade-call` job (on demand, and for every finished call transcript).
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { CATEGORY_LABELS, SCORE_CATEGORIES, type AnchorSet, type ScoreCategory } from '$lib/quality/categories';
import { AdapterError } from '../../adapters/errors';
import type { AudioInput, LanguageAiPort } from '../../adapters/language-ai';
import type { StoragePort } from '../../adapters/storage';
import type { Db, Tx } from '../../db/client';
import { calls } from '../../db/schema/calls';
import { aiGrades, type AiCategoryGrade } from '../../db/schema/quality';
import { callTranscripts, type TranscriptLine } from '../../db/schema/transcripts';
import { errorMessage } from '../../../errors';
import { currentAnchors } from '../anchors';
import { addToReviewQueue, getQualitySettings } from '../review-queue';
import { ZGrade, type Grade } from './grade-schema';
import { gradeLocally } from './local-grader';
import { verifyEvidence } from './verify-evidence';

export interface GradeCallData {
	callId: string;
}

export function gradingSystem(anchors: AnchorSet, withAudio = false): string {
	const rubric = SCORE_CATEGORIES.map((c) => `${c} (${CATEGORY_LABELS[c]}):\n${anchors[c].map((text, i) => `  ${i + 1}: ${text}`).join('\n')}`).join('\n');
	return [
		'You grade a call-center agent on one support call from its transcript.',
		'Score each of the five categories from 1 to 5 using exactly these anchor descriptions:',
		rubric,
		'For each category give a one or two sentence justification and one to three evidence quotes.',
		'Each quote must be words copied exactly from ONE transcript line, with `second` set to the number in brackets at the start of that line and `speaker` to who said it.',
		'Quotes are checked against the transcript; invented or reworded quotes are thrown away. If nothing in the call supports a score, give no quote.',
		...(withAudio
			? ["The call's two-channel recording is attached: listen for tone, warmth, interruptions and long silences when scoring professionalism and the others, but take every quote from the transcript."]
			: [])
	].join('\n');
}

/** The transcript as the model reads it: one line per segment, `[start] SPEAKER: text`. */
export function transcriptPrompt(lines: readonly TranscriptLine[]): string {
	return lines.map((l) => `[${Math.floor(l.start)}] ${l.speaker.toUpperCase()}: ${l.text}`).join('\n');
}

/** The grade as stored: evidence verified, unverified where none survived. */
export function verifyGrade(lines: readonly TranscriptLine[], grade: Grade): Record<ScoreCategory, AiCategoryGrade> {
	return Object.fromEntries(
		SCORE_CATEGORIES.map((c) => {
			const { kept, dropped } = verifyEvidence(lines, grade[c].evidence);
			return [c, { score: grade[c].score, justification: grade[c].justification, verified: kept.length > 0, evidence: kept, dropped }];
		})
	) as Record<ScoreCategory, AiCategoryGrade>;
}

async function transcriptOf(db: Db | Tx, callId: string): Promise<TranscriptLine[] | null> {
	const [row] = await db
		.select({ segments: callTranscripts.segments })
		.from(callTranscripts)
		.where(and(eq(callTranscripts.callId, callId), eq(callTranscripts.status, 'done'), eq(callTranscripts.kind, 'call')))
		.orderBy(desc(callTranscripts.completedAt))
		.limit(1);
	return row ? row.segments : null;
}

/**
 * The call's stored recording when the adapter would send it (within its size limit): heard
 * alongside the transcript. Optional: a missing, oversized or unreadable recording grades from
 * the transcript alone.
 */
export async function recordingFor(db: Db | Tx, storage: StoragePort | undefined, callId: string, maxBytes: number): Promise<AudioInput | undefined> {
	if (!storage || maxBytes <= 0) return undefined;
	const [call] = await db.select({ key: calls.recordingKey, status: calls.recordingStatus }).from(calls).where(eq(calls.id, callId));
	if (!call?.key || call.status !== 'stored') return undefined;
	try {
		const info = await storage.head(call.key);
		if (!info || info.size === 0 || info.size > maxBytes) return undefined;
		const object = await storage.get(call.key);
		if (!object) return undefined;
		return { data: object.body, mimeType: object.contentType.startsWith('audio/') ? object.contentType : 'audio/wav' };
	} catch {
		return undefined;
	}
}

async function fail(db: Db, callId: string, reason: string): Promise<void> {
	await db.transaction(async (tx) => {
		await tx.update(aiGrades).set({ status: 'failed', error: reason, gradedAt: new Date() }).where(eq(aiGrades.callId, callId));
		await addToReviewQueue(tx, callId, 'ai-failed', null);
	});
}

/** The job: grade, verify, store; queue for review when low or impossible. Retryable vendor errors rethrow until the last attempt. */
export async function gradeCall(deps: { db: Db; languageAi?: LanguageAiPort; storage?: StoragePort }, data: GradeCallData, job: { lastAttempt: boolean } = { lastAttempt: true }): Promise<void> {
	const { db } = deps;
	await db.insert(aiGrades).values({ callId: data.callId }).onConflictDoNothing();
	const lines = await transcriptOf(db, data.callId);
	if (!lines || lines.length === 0) return fail(db, data.callId, 'The call has no finished transcript to grade.');
	if (!deps.languageAi) return fail(db, data.callId, 'No language-AI adapter is configured in this process.');
	let grade: Grade;
	try {
		const audio = await recordingFor(db, deps.storage, data.callId, deps.languageAi.maxAudioBytes);
		grade = await deps.languageAi.generateJson({
			system: gradingSystem((await currentAnchors(db)).anchors, audio != null),
			prompt: transcriptPrompt(lines),
			schema: ZGrade,
			local: () => gradeLocally(lines),
			audio
		});
	} catch (err) {
		const retryable = err instanceof AdapterError && err.retryable;
		if (retryable && !job.lastAttempt) {
			await db.update(aiGrades).set({ error: errorMessage(err) }).where(eq(aiGrades.callId, data.callId));
			throw err;
		}
		return fail(db, data.callId, errorMessage(err));
	}
	const categories = verifyGrade(lines, grade);
	const { aiLowThreshold } = await getQualitySettings(db);
	await db.transaction(async (tx) => {
		await tx
			.update(aiGrades)
			.set({ status: 'graded', error: null, categories, adapter: deps.languageAi!.kind, gradedAt: new Date() })
			.where(eq(aiGrades.callId, data.callId));
		if (Object.values(categories).some((c) => c.score <= aiLowThreshold)) await addToReviewQueue(tx, data.callId, 'ai-low', null);
	});
}

/** Queue grading for a call (on demand or when its transcript is ready): resets its grade to pending. */
export async function requestGrading(tx: Db | Tx, jobs: { enqueue: (tx: Db | Tx, name: 'grade-call', data: GradeCallData, options?: { singletonKey?: string }) => Promise<string> }, callId: string): Promise<string> {
	const [call] = await tx.select({ id: calls.id }).from(calls).where(eq(calls.id, callId));
	if (!call) throw new Error(`requestGrading: no call ${callId}`);
	const jobId = await jobs.enqueue(tx, 'grade-call', { callId });
	await tx
		.insert(aiGrades)
		.values({ callId, status: 'pending', jobId })
		.onConflictDoUpdate({ target: aiGrades.callId, set: { status: 'pending', jobId, error: null, requestedAt: new Date() } });
	return jobId;
}

/** Finished call transcripts with no AI grade yet (the sweep the scheduled job runs). */
export async function ungradedTranscripts(db: Db | Tx, limit = 50): Promise<string[]> {
	const rows = await db
		.selectDistinct({ callId: callTranscripts.callId })
		.from(callTranscripts)
		.where(and(eq(callTranscripts.status, 'done'), eq(callTranscripts.kind, 'call'), sql`not exists (select 1 from ai_grades g where g.call_id = ${callTranscripts.callId})`))
		.limit(limit);
	return rows.map((r) => r.callId);
}

/** The transcription job's hook: a finished call transcript (not a voicemail) gets a grade-call job. */
export async function gradeWhenTranscribed(db: Db, jobs: Parameters<typeof requestGrading>[1], transcriptId: string): Promise<void> {
	const [row] = await db.select({ callId: callTranscripts.callId, kind: callTranscripts.kind, status: callTranscripts.status }).from(callTranscripts).where(eq(callTranscripts.id, transcriptId));
	if (row?.kind !== 'call' || row.status !== 'done') return;
	await db.transaction((tx) => requestGrading(tx, jobs, row.callId));
}
