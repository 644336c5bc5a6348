/**
 * Serves files of the local storage twin through the signed, short-lived URLs it hands out
 * (`/files/<key>?exp=..&sig=..`). With S3 configured, signed URLs point at the bucket and
 * this route has nothing to serve.
 */
import { error } from '@sveltejs/kit';
import { LocalStorage, serveLocalFile } from '$lib/server/adapters/storage';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, request, locals }) => {
	const { adapters } = locals.services;
	if (!(adapters.storage instanceof LocalStorage)) error(404, 'Files are served from object storage in this deployment.');
	return serveLocalFile(adapters.storage, params.key, url, request.headers.get('range'));
};
