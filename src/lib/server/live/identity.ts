/** Who a hot-state call runs as: a signed-in staff member, or the Switchboard server itself. */
import type { Role } from '$lib/roles';

export type Identity = { subject: string; role: Role | 'system'; name?: string };

/** The server's own identity, admitted only by `system` functions. */
export const SYSTEM_IDENTITY: Identity = Object.freeze({ subject: 'switchboard', role: 'system', name: 'Switchboard server' });
