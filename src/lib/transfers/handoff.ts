/**
 * The wrap-ups a transfer makes outside the call's own row, each on a CallSid made from the
 * transfer's id (a uuid is 32 hex digits), so the softphone's wrap-up form and "Ready now" take it
 * like any CallSid and the archive finds the transfer (call_transfers) by the same id:
 * - the first agent's hand-off: once a transfer takes them off the call (cold, a queue, a warm
 *   transfer completed, or they hung up mid-transfer) they are in wrap-up at once (`from` side);
 * - the target of a three-way call (Join all): in wrap-up when the call ends (`to` side); its
 *   CallSid is the transfer id's hex digits complemented (a v4 uuid's version digit 4 becomes b,
 *   so the two never meet).
 */
export function handoffCallSid(transferId: string): string {
	return `CA${transferId.replaceAll('-', '').toLowerCase()}`;
}

const complement = (hex: string) => [...hex].map((d) => (15 - parseInt(d, 16)).toString(16)).join('');

/** The wrap-up CallSid of a three-way call's target (their part: call_transfers.to_*). */
export function joinedTargetCallSid(transferId: string): string {
	return `CA${complement(transferId.replaceAll('-', '').toLowerCase())}`;
}

const asUuid = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** Which transfer's wrap-up a CallSid names, and whose part: the first agent's (from) or a joined target's (to). */
export function transferPartOf(callSid: string): { transferId: string; side: 'from' | 'to' } | null {
	const hex = /^CA([0-9a-f]{32})$/i.exec(callSid)?.[1]?.toLowerCase();
	if (!hex) return null;
	if (hex[12] === 'b') return { transferId: asUuid(complement(hex)), side: 'to' };
	return { transferId: asUuid(hex), side: 'from' };
}

/** The transfer id a hand-off CallSid was made from (a uuid), or null for any other CallSid. */
export function transferIdOfHandoff(callSid: string): string | null {
	const part = transferPartOf(callSid);
	return part?.side === 'from' ? part.transferId : null;
}

/**
 * While a cold transfer rings nobody has the call: its row names the transfer instead of an
 * agent (transfers.ts releaseFirstAgent). No screen shows that id; the wallboard says where the
 * call is going instead (callBoard.board's `transferringTo`).
 */
export function transferPlaceholder(transferId: string): string {
	return `transfer:${transferId}`;
}

/** The transfer a call row's placeholder agent id names, or null for an agent's id. */
export function transferOfPlaceholder(agentId: string): string | null {
	return agentId.startsWith('transfer:') ? agentId.slice('transfer:'.length) : null;
}

/** "Transferring to Bob Ray" (an agent), "... to the billing queue", "... to +14155550100". */
export function transferringLabel(t: { toAgentName?: string; toQueue?: string; toNumber?: string }): string {
	if (t.toAgentName) return `Transferring to ${t.toAgentName}`;
	if (t.toQueue) return `Transferring to the ${t.toQueue} queue`;
	if (t.toNumber) return `Transferring to ${t.toNumber}`;
	return 'Transferring';
}
