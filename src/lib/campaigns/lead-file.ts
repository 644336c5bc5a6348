/**
 * The lead file's size limit, shared by the import form (which refuses a larger file before
 * sending it) and the server (campaigns/parse-leads.ts, which refuses it again), and the form's
 * wording for a request the web server itself refused as too large (HTTP 413, BODY_SIZE_LIMIT).
 */
/** Larger lead files are refused whole; split them. */
export const MAX_LEADS_FILE_BYTES = 5 * 1024 * 1024;

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** Why the chosen file cannot be imported before it is sent, or null. */
export function leadFileProblem(file: { name: string; size: number }): string | null {
	if (file.size > MAX_LEADS_FILE_BYTES) {
		return `${file.name} is ${megabytes(file.size)} MB; a lead file is at most ${MAX_LEADS_FILE_BYTES / 1024 / 1024} MB. Split it and import the parts.`;
	}
	if (file.size === 0) return `${file.name} is empty; export the leads from your spreadsheet as CSV (UTF-8).`;
	return null;
}

/** The web server answered 413 before Switchboard read the request: say what to do, not "Payload Too Large". */
export function importRefusedAsTooLarge(error: unknown): string | null {
	// A TRPCClientError: `meta.response` for a non-JSON answer, `data.httpStatus` for tRPC's own.
	const e = error as { meta?: { response?: { status?: unknown } }; data?: { httpStatus?: unknown } } | null;
	if (e?.meta?.response?.status !== 413 && e?.data?.httpStatus !== 413) return null;
	return `The server refused the file as too large to receive; a lead file is at most ${MAX_LEADS_FILE_BYTES / 1024 / 1024} MB. Split it and import the parts (an administrator can raise BODY_SIZE_LIMIT, see the README).`;
}
