import { json } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import type { RequestHandler } from './$types';

/** Liveness and readiness in one: answers 200 once the archive and hot state are up. */
export const GET: RequestHandler = async ({ locals }) => {
	const services = locals.services;
	await services.db.execute(sql`select 1`);
	return json({ ok: true, database: services.database.driver, live: services.hot.mode });
};
