/** The shape of a staff member's settings and their defaults, shared by the read and the write. */
import type { OpenRecordOn } from '../db/schema/preferences';

export interface Preferences {
	openRecordOn: OpenRecordOn;
}

export const DEFAULT_PREFERENCES: Preferences = { openRecordOn: 'never' };
