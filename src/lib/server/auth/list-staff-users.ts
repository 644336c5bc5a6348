import { asc } from 'drizzle-orm';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { staffUserColumns, toStaffUser, type StaffUser } from './staff-user';

/** Every staff account, by name. A call center has tens to hundreds, so no paging yet. */
export async function listStaffUsers(db: Db): Promise<StaffUser[]> {
	const rows = await db.select(staffUserColumns).from(user).orderBy(asc(user.name), asc(user.email));
	return rows.map(toStaffUser);
}
