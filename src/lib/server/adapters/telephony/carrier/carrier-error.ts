/** The twin's refusals worded and coded as Twilio's, in one place so every part of the twin refuses alike. */
import { AdapterError } from '../../errors';

/** A refusal with Twilio's HTTP status and error code; the caller must change the request, so never retryable. */
export function carrierError(message: string, status: number, vendorCode: number): AdapterError {
	return new AdapterError(message, { port: 'telephony', adapter: 'local', status, vendorCode, retryable: false });
}

/** Twilio's 20404 for a resource the account does not have, named by its path (`/Calls/CA....json`), with why when it helps. */
export function resourceNotFound(resource: string, why?: string): AdapterError {
	return carrierError(`The requested resource ${resource} was not found${why ? `: ${why}` : ''}`, 404, 20404);
}
