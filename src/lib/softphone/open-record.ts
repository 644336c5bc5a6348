/**
 * The agent's "open the caller's record" setting, applied: once per call, at the moment the
 * setting names (as it rings, or once answered), and never again for that call, so an agent who
 * leaves the record during the call is not pulled back to it.
 */
export type OpenRecordOn = 'never' | 'ring' | 'answer';

export interface CallForRecord {
	callSid: string;
	phase: 'ringing' | 'connecting' | 'active';
	customerId: string | null;
}

export class RecordOpener {
	#openedFor: string | null = null;

	constructor(private readonly open: (customerId: string) => void) {}

	/**
	 * Call whenever the call, its phase or the setting changes. `showing` is the customer whose
	 * record is on screen now (null elsewhere): that record counts as opened.
	 */
	update(setting: OpenRecordOn, call: CallForRecord | null, showing: string | null): void {
		if (!call) {
			this.#openedFor = null;
			return;
		}
		if (this.#openedFor === call.callSid || !call.customerId) return;
		if (setting === 'never' || (setting === 'answer' && call.phase !== 'active')) return;
		this.#openedFor = call.callSid;
		if (showing !== call.customerId) this.open(call.customerId);
	}
}
