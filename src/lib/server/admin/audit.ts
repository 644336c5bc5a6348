/**
 * The admin audit trail. Each admin use case calls recordAdminAudit inside the transaction
 * that makes the change, so a change and its audit row are written together or not at all.
 */
import { desc } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { adminAudit, type AdminEntity } from '../db/schema/admin';

/** The signed-in admin making a change. */
export interface AdminActor {
	id: string;
	email: string;
}

export interface AdminAuditEntry {
	action: string;
	entity: AdminEntity;
	entityId: string;
	before: unknown;
	after: unknown;
}

export async function recordAdminAudit(tx: Tx, actor: AdminActor, entry: AdminAuditEntry): Promise<void> {
	await tx.insert(adminAudit).values({
		actorId: actor.id,
		actorEmail: actor.email,
		action: entry.action,
		entity: entry.entity,
		entityId: entry.entityId,
		// JSON round trip: dates become ISO strings, undefined fields drop out.
		before: entry.before == null ? null : (JSON.parse(JSON.stringify(entry.before)) as unknown),
		after: entry.after == null ? null : (JSON.parse(JSON.stringify(entry.after)) as unknown)
	});
}

export type AdminAuditRow = typeof adminAudit.$inferSelect;

/** The newest audit rows first (the admin pages show the latest changes). */
export async function listAdminAudit(db: Db, limit = 100): Promise<AdminAuditRow[]> {
	return db.select().from(adminAudit).orderBy(desc(adminAudit.at)).limit(limit);
}
