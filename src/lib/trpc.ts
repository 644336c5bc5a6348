/** The browser's typed tRPC client. Types come from the server router; no server code ships. */
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '$lib/server/trpc/router';
import { errorMessage as thrownMessage } from './errors';

export const trpc = createTRPCClient<AppRouter>({
	links: [httpBatchLink({ url: '/api/trpc' })]
});

/** A message fit to show a person, from any error a tRPC call threw. */
export function errorMessage(error: unknown): string {
	if (error instanceof TRPCClientError) {
		const data = error.data as { fieldErrors?: Record<string, string[] | undefined> | null } | undefined;
		const field = data?.fieldErrors && Object.entries(data.fieldErrors).find(([, v]) => v?.length);
		if (field) return `${field[0]}: ${field[1]?.[0] ?? 'invalid'}`;
		return error.message;
	}
	return thrownMessage(error);
}

/** The server's reason code (AppError's code, e.g. CALL_IN_PROGRESS) of a tRPC error, or null. */
export function errorCode(error: unknown): string | null {
	if (!(error instanceof TRPCClientError)) return null;
	const data = error.data as { appCode?: string | null } | undefined;
	return data?.appCode ?? null;
}
