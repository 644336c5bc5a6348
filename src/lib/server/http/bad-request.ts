/**
 * The one place zod's issues become words for the caller: the JSON endpoints' 400, the Twilio
 * webhooks' plain-text 400 and the tRPC form errors all describe a failed schema from here.
 */
import { problem } from './responses';

/** What this module reads of a zod issue; `input` is there only when parsed with `reportInput: true`. */
export interface IssueLike {
	readonly code?: string;
	readonly path: readonly PropertyKey[];
	readonly message: string;
	readonly input?: unknown;
}

/** `CallSid is missing`, `Body was sent more than once`, `to: Enter a phone number`: what the sender needs to fix it. */
export function describeIssue(issue: IssueLike): string {
	const field = issue.path.map(String).join('.') || 'body';
	if (issue.code === 'invalid_type' && 'input' in issue) {
		if (issue.input === undefined) return `${field} is missing`;
		if (Array.isArray(issue.input)) return `${field} was sent more than once`;
	}
	return issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
}

/** Every issue, `; `-separated. */
export function describeIssues(issues: readonly IssueLike[]): string {
	return issues.map(describeIssue).join('; ');
}

/**
 * The first issue as a sentence for a form (the field errors carry the rest): a schema's own
 * messages are written for people and stand alone; zod's defaults ("Invalid input: ...") get the
 * field in front so the person knows which one.
 */
export function describeFirstIssue(issues: readonly IssueLike[], fallback = 'Invalid input.'): string {
	const issue = issues[0];
	if (!issue) return fallback;
	return issue.path.length && issue.message.startsWith('Invalid') ? describeIssue(issue) : issue.message;
}

/** 400 naming each field that failed validation and why, `what` first when given. */
export function badRequest(issues: readonly IssueLike[], what?: string): Response {
	const text = describeIssues(issues);
	return problem(400, 'BAD_REQUEST', what ? `${what}: ${text}` : text);
}
