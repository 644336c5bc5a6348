/**
 * What the wallboard's board (convex callBoard.board) shows of one queue or one agent, for the
 * voice tests: they read hot state the way the product does. Test code only.
 */
import { api } from '$convex/_generated/api';
import type { HotState, Identity } from '../live/hot';

/** The board is the wallboard's, so the tests read it as a supervisor. */
const VIEWER: Identity = { subject: 'board-viewer', role: 'supervisor' };

/** The callers waiting in `queueName`, in line order. */
export async function waitingIn(hot: HotState, queueName: string) {
	return (await hot.query(api.callBoard.board, {}, VIEWER)).waiting.filter((w) => w.queueName === queueName);
}

/** The call ringing for `agent` (offered to them), if any. */
export async function ringingFor(hot: HotState, agent: Identity) {
	return (await hot.query(api.callBoard.board, {}, VIEWER)).incoming.find((c) => c.state === 'offered' && c.offeredTo === agent.subject);
}
