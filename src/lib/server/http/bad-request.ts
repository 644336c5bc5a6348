/** 400 answers for request bodies that fail their zod schema. */
import { problem } from './responses';

/** 400 naming each field that failed validation and why (zod's issues), `what` first when given. */
export function badRequest(issues: readonly { path: readonly PropertyKey[]; message: string }[], what?: string): Response {
	const text = issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; ');
	return problem(400, 'BAD_REQUEST', what ? `${what}: ${text}` : text);
}
