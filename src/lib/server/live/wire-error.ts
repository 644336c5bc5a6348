/** Refusals from a hot-state function in their wire form, turned back into AppError. */
import { AppError } from '../errors';
import type { WireError } from './engine/protocol';

/** A refusal (AppError) or a failure (Error), from the engine's wire form. */
export function errorFromWire(error: WireError): Error {
	if (error.kind === 'INTERNAL') return new Error(`Hot-state function failed: ${error.message}`);
	return new AppError(error.kind === 'UNAUTHENTICATED' ? 'UNAUTHORIZED' : error.kind, error.code, error.message);
}
