/** The live connection's state for the UI (a header dot, a "reconnecting" banner). */
import type { ConnectionStatus } from './backend';

class LiveConnection {
	status = $state<ConnectionStatus>('connecting');
	/** True once the first connection came up; distinguishes "starting" from "lost". */
	everConnected = $state(false);

	get isLive(): boolean {
		return this.status === 'live';
	}

	set(status: ConnectionStatus) {
		this.status = status;
		if (status === 'live') this.everConnected = true;
	}
}

export const connection = new LiveConnection();
