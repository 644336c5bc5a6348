/**
 * The first agent's hand-off: once a transfer takes them off the call (cold, a queue, a warm
 * transfer completed, or they hung up mid-transfer) they are in wrap-up at once, on a wrap-up row
 * of their own whose CallSid is made from the transfer's id (a uuid is 32 hex digits), so the
 * softphone's wrap-up form and "Ready now" take it like any CallSid. The archive finds the
 * transfer (call_transfers) by the same id.
 */
export function handoffCallSid(transferId: string): string {
	return `CA${transferId.replaceAll('-', '').toLowerCase()}`;
}

/** The transfer id a hand-off CallSid was made from (a uuid), or null for any other CallSid. */
export function transferIdOfHandoff(callSid: string): string | null {
	const hex = /^CA([0-9a-f]{32})$/i.exec(callSid)?.[1]?.toLowerCase();
	if (!hex) return null;
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
