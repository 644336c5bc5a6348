/** Small builders for CRM tests: a staff row and customers with sensible defaults. */
import { randomUUID } from 'node:crypto';
import type { Role } from '../../roles';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { createCustomer } from './create-customer';
import type { CreateCustomerInput } from './customer-input';
import type { CustomerRecord } from './customer-view';

let counter = 0;

/** A staff user row written directly (no password): enough for foreign keys and tRPC contexts. */
export async function makeStaff(db: Db, role: Role = 'agent'): Promise<{ id: string; name: string; email: string; role: Role }> {
	counter += 1;
	const staff = { id: randomUUID(), name: `Test ${role} ${counter}`, email: `${role}${counter}.${Date.now()}@test.local`, role };
	await db.insert(user).values(staff);
	return staff;
}

export function makeCustomer(db: Db, input: Partial<CreateCustomerInput> = {}): Promise<CustomerRecord> {
	counter += 1;
	return createCustomer(db, {
		firstName: 'Pat',
		lastName: `Tester${counter}`,
		company: 'Example Co',
		...input
	});
}
