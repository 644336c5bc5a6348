/**
 * The offline grader: deterministic rules over the transcript, one per category, built from
 * what the category means (see DEFAULT_ANCHORS): a greeting that greets, names the company
 * and the agent and offers help; specific answers without "I don't know"; the issue
 * confirmed fixed or next steps agreed; courtesy without rude words or interrupting; a close
 * that summarises, offers more help and thanks. Each score quotes the lines it rests on, with
 * their start second, so its evidence passes the same check as a model's.
 */
import type { ScoreCategory } from '$lib/quality/categories';
import type { CategoryGrade, Grade } from './grade-schema';
import { CUES, type Cue } from './local-cues';
import { normalise, type EvidenceLine } from './verify-evidence';

interface Line extends EvidenceLine {
	norm: string;
}

type Evidence = CategoryGrade['evidence'][number];

const has = (line: Line, cue: Cue) => CUES[cue].test(line.norm);
const count = (lines: Line[], cue: Cue) => lines.filter((l) => has(l, cue)).length;

/** The sentence of `line` holding the cue (two words at least), else the whole line. */
function quoteOf(line: Line, cue?: Cue): Evidence {
	const speaker = line.speaker === 'customer' ? 'customer' : 'agent';
	const sentences = line.text.match(/[^.!?]+[.!?]*/g) ?? [line.text];
	const hit = cue ? sentences.find((s) => CUES[cue].test(normalise(s)) && normalise(s).split(' ').length >= 2) : undefined;
	return { quote: (hit ?? line.text).trim(), second: Math.floor(line.start), speaker };
}

function evidence(lines: Line[], cue: Cue | undefined, max = 2): Evidence[] {
	return lines
		.filter((l) => !cue || has(l, cue))
		.filter((l) => normalise(l.text).split(' ').length >= 2)
		.slice(0, max)
		.map((l) => quoteOf(l, cue));
}

const grade = (score: number, justification: string, ev: Evidence[]): CategoryGrade => ({
	score: Math.max(1, Math.min(5, Math.round(score))),
	justification,
	evidence: ev.slice(0, 4)
});

function gradeGreeting(agent: Line[]): CategoryGrade {
	const opening = agent.filter((l, i) => i < 2 && (i === 0 || l.start <= 30));
	const cues = { hello: opening.some((l) => has(l, 'hello')), company: opening.some((l) => has(l, 'company')), name: opening.some((l) => has(l, 'agentName')), offer: opening.some((l) => has(l, 'offerHelp')) };
	const rude = opening.some((l) => has(l, 'rude'));
	const points = Number(cues.company) + Number(cues.name) + Number(cues.offer);
	let score = points === 0 ? (cues.hello ? 2 : 1) : points + 2;
	if (rude) score = Math.min(score, 2);
	const named = [cues.company && 'names the company', cues.name && 'gives their name', cues.offer && 'offers help'].filter(Boolean);
	const justification = opening.length === 0 ? 'The agent never speaks at the start of the call.' : named.length ? `The agent greets the caller, ${named.join(', ')}.` : cues.hello ? 'A bare hello: no company, no name, no offer of help.' : 'The agent starts without a greeting.';
	return grade(score, rude ? `${justification} The opening is curt or rude.` : justification, evidence(opening, undefined, 1));
}

function gradeKnowledge(agent: Line[]): CategoryGrade {
	const substantive = agent.filter((l) => l.norm.split(' ').length >= 4);
	const dontKnow = agent.filter((l) => has(l, 'dontKnow'));
	const followedUp = dontKnow.length > 0 && dontKnow.every((l) => has(l, 'findOut') || agent.slice(agent.indexOf(l) + 1, agent.indexOf(l) + 3).some((n) => has(n, 'findOut')));
	const specific = substantive.filter((l) => has(l, 'specific') && !has(l, 'dontKnow'));
	const hedges = count(agent, 'hedge');
	let score: number;
	// Saying "I don't know" and leaving it there is a 1; guessing or trying around it a 2.
	if (dontKnow.length >= 2 && !followedUp) score = specific.length >= 2 || hedges >= 1 ? 2 : 1;
	else if (dontKnow.length >= 1 && !followedUp) score = specific.length >= 2 ? 3 : 2;
	else if (specific.length >= 3) score = 5;
	else if (specific.length === 2) score = 4;
	else if (specific.length === 1) score = 3;
	else score = substantive.length >= 2 ? 3 : 2;
	if (hedges >= 2 && score > 2) score -= 1;
	const parts = [
		`${specific.length} specific answer${specific.length === 1 ? '' : 's'} (steps, figures, account details)`,
		dontKnow.length ? `${dontKnow.length} "I don't know"${followedUp ? ', each followed by finding out' : ''}` : 'no "I don\'t know"',
		hedges >= 2 ? `${hedges} hedged answers` : ''
	].filter(Boolean);
	return grade(score, `The agent gave ${parts.join('; ')}.`, [...evidence(dontKnow, 'dontKnow', 2), ...evidence(specific, 'specific', 2)]);
}

function gradeResolution(agent: Line[], customer: Line[]): CategoryGrade {
	const fixed = customer.filter((l) => has(l, 'fixedByCustomer'));
	const asked = agent.filter((l) => has(l, 'confirmAsk'));
	const actions = agent.filter((l) => has(l, 'action'));
	const workarounds = agent.filter((l) => has(l, 'workaround'));
	const unresolved = [...customer, ...agent].filter((l) => has(l, 'unresolved')).sort((a, b) => a.start - b.start);
	const lastUnresolved = unresolved.at(-1)?.start ?? -1;
	const fixedAfter = fixed.filter((l) => l.start > lastUnresolved);
	const tail = customer.filter((l) => l.start >= (actions.at(-1)?.start ?? Infinity));
	const agreed = tail.some((l) => has(l, 'agreement'));
	let score: number;
	let why: string;
	if (fixedAfter.length) {
		score = actions.length || asked.length || workarounds.length ? 5 : 4;
		why = 'The caller confirms the issue is fixed' + (score === 5 ? ' after the agent acted on it.' : '.');
	} else if (actions.length && unresolved.every((l) => l.start < (actions.at(-1)?.start ?? 0))) {
		score = agreed ? 4 : 3;
		why = agreed ? 'The agent sets out next steps and the caller agrees.' : 'The agent sets out next steps, not confirmed with the caller.';
	} else if (workarounds.length && unresolved.length === 0) {
		score = 3;
		why = 'The agent offers a workaround; the fix is not confirmed.';
	} else if (unresolved.length) {
		score = actions.length || workarounds.length ? 2 : 1;
		why = 'The issue is left unresolved' + (score === 2 ? ' despite an attempt.' : ' with no next step.');
	} else {
		score = agent.length >= 3 ? 2 : 1;
		why = 'No fix and no next step is stated.';
	}
	const ev = fixedAfter.length ? [...evidence(fixedAfter, 'fixedByCustomer', 1), ...evidence(actions, 'action', 1)] : [...evidence(actions, 'action', 2), ...evidence(workarounds, 'workaround', 1), ...evidence(unresolved, 'unresolved', 1)];
	return grade(score, why, ev);
}

/** Agent lines that start before the customer's previous line ends, or after a line cut off with a dash. */
function interruptions(lines: Line[]): Line[] {
	const out: Line[] = [];
	for (let i = 1; i < lines.length; i++) {
		const prev = lines[i - 1]!;
		const cur = lines[i]!;
		if (cur.speaker !== 'agent' || prev.speaker !== 'customer') continue;
		if (cur.start < prev.end - 0.5 || /(--|—|–)\s*$/.test(prev.text)) out.push(cur);
	}
	return out;
}

function gradeProfessionalism(all: Line[], agent: Line[], customer: Line[]): CategoryGrade {
	const rude = agent.filter((l) => has(l, 'rude'));
	const cutIns = interruptions(all);
	const complaints = customer.filter((l) => has(l, 'interruptedComplaint'));
	const interrupts = Math.max(cutIns.length, complaints.length);
	const courtesy = count(agent, 'courtesy');
	const empathy = agent.filter((l) => has(l, 'empathy'));
	let score: number;
	if (rude.length >= 2) score = 1;
	else if (rude.length === 1) score = interrupts ? 1 : 2;
	else if (interrupts >= 2) score = 2;
	else if (interrupts === 1) score = 3;
	else if (courtesy + empathy.length >= 3 && empathy.length >= 1) score = 5;
	else if (courtesy + empathy.length >= 2) score = 4;
	else score = 3;
	const why = rude.length
		? `The agent uses rude or dismissive words (${rude.length} line${rude.length === 1 ? '' : 's'})${interrupts ? ' and interrupts the caller' : ''}.`
		: interrupts
			? `The agent interrupts the caller (${interrupts} time${interrupts === 1 ? '' : 's'}).`
			: score === 5
				? 'Polite and empathetic throughout, no interrupting.'
				: score === 4
					? 'Polite throughout, no interrupting.'
					: 'Correct but with little courtesy.';
	const ev = rude.length ? evidence(rude, 'rude', 2) : interrupts ? [...evidence(complaints, 'interruptedComplaint', 1), ...evidence(cutIns, undefined, 1)] : [...evidence(empathy, 'empathy', 1), ...evidence(agent, 'courtesy', 1)];
	return grade(score, why, ev);
}

function gradeClosing(agent: Line[]): CategoryGrade {
	const closing = agent.slice(-3);
	const found = { summary: closing.filter((l) => has(l, 'summary')), more: closing.filter((l) => has(l, 'moreHelp')), thanks: closing.filter((l) => has(l, 'thanks')), bye: closing.filter((l) => has(l, 'goodbye')) };
	const rude = closing.some((l) => has(l, 'rude'));
	const s = found.summary.length > 0;
	const m = found.more.length > 0;
	const t = found.thanks.length > 0;
	let score = m && t ? (s ? 5 : 4) : m || t ? 3 : s || found.bye.length ? 2 : 1;
	if (rude) score = Math.min(score, 2);
	const named = [s && 'summarises', m && 'offers more help', t && 'thanks the caller'].filter(Boolean);
	const why = named.length ? `The agent ${named.join(', ')}${named.length < 3 ? `; missing: ${['a summary', 'an offer of more help', 'thanks'].filter((_, i) => ![s, m, t][i]).join(', ')}` : ''}.` : found.bye.length ? 'A bare goodbye.' : 'The call just ends.';
	const ev = [...evidence(found.summary, 'summary', 1), ...evidence(found.more, 'moreHelp', 1), ...evidence(found.thanks, 'thanks', 1)];
	return grade(score, why, ev.length ? ev : evidence(closing.slice(-1), undefined, 1));
}

/** Grades a transcript; lines of a mono recording (speaker `unknown`) count as the agent's and the customer's both. */
export function gradeLocally(transcript: readonly EvidenceLine[]): Grade {
	const all: Line[] = [...transcript].sort((a, b) => a.start - b.start).map((l) => ({ ...l, norm: normalise(l.text) }));
	const agent = all.filter((l) => l.speaker !== 'customer');
	const customer = all.filter((l) => l.speaker !== 'agent');
	const result: Record<ScoreCategory, CategoryGrade> = {
		greeting: gradeGreeting(agent),
		productKnowledge: gradeKnowledge(agent),
		problemResolution: gradeResolution(agent, customer),
		professionalism: gradeProfessionalism(all, agent, customer),
		closing: gradeClosing(agent)
	};
	return result;
}
