/**
 * Point the account's numbers (and its TwiML App) at Switchboard, as an operator would in
 * Twilio's console: every Switchboard number's voice, fallback, status and SMS URLs, and the
 * TwiML App's voice URL that browser softphones call through. The same code runs against real
 * Twilio (`npm run provision`) and against the local carrier (at start in local mode), through
 * the official client. It reads everything first, refuses before writing when a number is not on
 * the account, then writes only the fields that differ: running it twice changes nothing.
 *
 * A number attached to a voice or SMS application (VoiceApplicationSid, SmsApplicationSid) or to
 * a SIP trunk (TrunkSid) ignores the URLs written here, so "already right" would be a lie: it
 * refuses, naming the attachment, unless `detach` clears it. A number that cannot text
 * (capabilities.sms false) is reported. A Messaging Service whose integration sends its own
 * inbound webhook also overrides SmsUrl; the IncomingPhoneNumbers resource does not show it, so
 * on real Twilio the services are read too and such a number is refused (--detach does not change
 * a service, which other numbers may share: its Integration must be set to "Defer to sender's
 * webhook" by hand).
 */
import type twilio from 'twilio';
import { AdapterError } from '../errors';
import { errorMessage } from '../../../errors';

type Method = 'GET' | 'POST';

/** Switchboard's webhook paths a number is configured with (below the public base URL). */
export interface NumberRoutes {
	voice: string;
	voiceFallback: string;
	voiceStatus: string;
	sms: string;
	smsFallback: string;
	/** The TwiML App's voice URL (calls the agents' softphones place); the incoming route when absent. */
	outbound?: string;
}

export interface ProvisionInput {
	/** Switchboard's public base URL (what Twilio requests and signs). */
	publicBaseUrl: string;
	routes: NumberRoutes;
	/** The account's numbers that route to Switchboard, E.164. */
	numbers: readonly string[];
	/** The TwiML App browser-originated calls go through, when the account uses one. */
	applicationSid?: string | null;
	/** Read and compare only. */
	dryRun?: boolean;
	/** Clear VoiceApplicationSid, SmsApplicationSid and TrunkSid on the numbers instead of refusing. */
	detach?: boolean;
	/**
	 * Look for Messaging Services that send their own inbound webhook for our numbers (real Twilio
	 * only: messaging.twilio.com, which the local carrier does not serve).
	 */
	checkMessagingServices?: boolean;
}

export interface FieldChange {
	/** `+14155550100`, or `TwiML App AP...`. */
	resource: string;
	/** Twilio's parameter name, e.g. `VoiceUrl`. */
	field: string;
	current: string;
	desired: string;
}

export interface ProvisionReport {
	changes: FieldChange[];
	/** Resources already as Switchboard needs them. */
	unchanged: string[];
	/** False for a dry run (or when nothing needed changing). */
	applied: boolean;
	/** Numbers whose capabilities say they cannot send or receive SMS. */
	cannotText: string[];
}

/** Number fields that, when set, make Twilio ignore the URLs Switchboard writes. */
export const OVERRIDING_FIELDS = ['VoiceApplicationSid', 'SmsApplicationSid', 'TrunkSid'] as const;
const OVERRIDE_MEANING: Record<(typeof OVERRIDING_FIELDS)[number], string> = {
	VoiceApplicationSid: 'a voice TwiML App, so calls ignore VoiceUrl',
	SmsApplicationSid: 'an SMS TwiML App, so texts ignore SmsUrl',
	TrunkSid: 'a SIP trunk, so calls go to the trunk and ignore VoiceUrl'
};

/** What makes `number` ignore our URLs: one change per overriding field that is set (desired: cleared). */
function overrides(resource: string, current: Record<string, unknown>): FieldChange[] {
	return OVERRIDING_FIELDS.flatMap((field) => {
		const value = current[camel(field)];
		return typeof value === 'string' && value !== '' ? [{ resource, field, current: value, desired: '' }] : [];
	});
}

/** The number fields Switchboard sets, by Twilio parameter (the client reads each back camelCased). */
type NumberField =
	| 'VoiceUrl'
	| 'VoiceMethod'
	| 'VoiceFallbackUrl'
	| 'VoiceFallbackMethod'
	| 'StatusCallback'
	| 'StatusCallbackMethod'
	| 'SmsUrl'
	| 'SmsMethod'
	| 'SmsFallbackUrl'
	| 'SmsFallbackMethod';
type AppField = Extract<NumberField, 'VoiceUrl' | 'VoiceMethod' | 'VoiceFallbackUrl' | 'VoiceFallbackMethod'>;

/** What every Switchboard number must say, by Twilio parameter. */
export function desiredNumberSettings(publicBaseUrl: string, routes: NumberRoutes): Record<NumberField, string> {
	const base = publicBaseUrl.replace(/\/+$/, '');
	const post: Method = 'POST';
	return {
		VoiceUrl: `${base}${routes.voice}`,
		VoiceMethod: post,
		VoiceFallbackUrl: `${base}${routes.voiceFallback}`,
		VoiceFallbackMethod: post,
		StatusCallback: `${base}${routes.voiceStatus}`,
		StatusCallbackMethod: post,
		SmsUrl: `${base}${routes.sms}`,
		SmsMethod: post,
		SmsFallbackUrl: `${base}${routes.smsFallback}`,
		SmsFallbackMethod: post
	};
}

/** The TwiML App's voice side: the outbound route (agent-originated calls), with the numbers' fallback. */
export function desiredApplicationSettings(publicBaseUrl: string, routes: NumberRoutes): Record<AppField, string> {
	const all = desiredNumberSettings(publicBaseUrl, { ...routes, voice: routes.outbound ?? routes.voice });
	return { VoiceUrl: all.VoiceUrl, VoiceMethod: all.VoiceMethod, VoiceFallbackUrl: all.VoiceFallbackUrl, VoiceFallbackMethod: all.VoiceFallbackMethod };
}

/** `VoiceUrl` -> `voiceUrl`: the client's instance properties and update() options are camelCase. */
const camel = (field: string) => field.charAt(0).toLowerCase() + field.slice(1);

function differences(resource: string, current: Record<string, unknown>, desired: Record<string, string>): FieldChange[] {
	const changes: FieldChange[] = [];
	for (const [field, want] of Object.entries(desired)) {
		const value = current[camel(field)];
		const have = typeof value === 'string' ? value : '';
		const same = field.endsWith('Method') ? have.toUpperCase() === want : have === want;
		if (!same) changes.push({ resource, field, current: have, desired: want });
	}
	return changes;
}

function refused(message: string, adapter: 'twilio' | 'local', cause?: unknown): AdapterError {
	return new AdapterError(message, { port: 'telephony', adapter, ...(cause ? { cause } : {}) });
}

export async function provisionNumbers(client: twilio.Twilio, input: ProvisionInput, adapter: 'twilio' | 'local'): Promise<ProvisionReport> {
	const vendor = adapter === 'local' ? 'the local carrier' : 'Twilio';
	if (input.numbers.length === 0) throw refused('There are no Switchboard numbers to provision: add a queue with its number first (Settings, voice queues).', adapter);
	let owned: Awaited<ReturnType<twilio.Twilio['incomingPhoneNumbers']['list']>>;
	try {
		owned = await client.incomingPhoneNumbers.list({ pageSize: 1000 });
	} catch (err) {
		throw refused(`Could not list the account's numbers on ${vendor}: ${errorMessage(err)}`, adapter, err);
	}
	const byNumber = new Map(owned.map((n) => [n.phoneNumber, n]));
	const missing = input.numbers.filter((n) => !byNumber.has(n));
	if (missing.length > 0) {
		throw refused(
			`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on account ${client.accountSid} at ${vendor}. ` +
				'Buy or port the number in the Twilio console (Phone Numbers > Manage), or change the queue to a number the account has. Nothing was changed.',
			adapter
		);
	}

	if (input.checkMessagingServices) await refuseServiceWebhooks(client, input.numbers, adapter);
	const plans = planNumbers(client, input, byNumber, vendor, adapter);
	const cannotText = input.numbers.filter((n) => byNumber.get(n)?.capabilities?.sms === false);
	if (input.applicationSid) {
		const sid = input.applicationSid;
		let app: Awaited<ReturnType<ReturnType<twilio.Twilio['applications']>['fetch']>>;
		try {
			app = await client.applications(sid).fetch();
		} catch (err) {
			throw refused(`The TwiML App ${sid} (TWILIO_TWIML_APP_SID) could not be read on ${vendor}: ${errorMessage(err)}. Nothing was changed.`, adapter, err);
		}
		plans.push({
			resource: `TwiML App ${sid}`,
			changes: differences(`TwiML App ${sid}`, app as unknown as Record<string, unknown>, desiredApplicationSettings(input.publicBaseUrl, input.routes)),
			apply: (options) => client.applications(sid).update(options)
		});
	}

	const changes = plans.flatMap((p) => p.changes);
	const unchanged = plans.filter((p) => p.changes.length === 0).map((p) => p.resource);
	if (input.dryRun || changes.length === 0) return { changes, unchanged, applied: false, cannotText };
	for (const plan of plans) {
		if (plan.changes.length === 0) continue;
		const options = Object.fromEntries(plan.changes.map((c) => [camel(c.field), c.desired]));
		try {
			await plan.apply(options);
		} catch (err) {
			const done = plans.slice(0, plans.indexOf(plan)).filter((p) => p.changes.length > 0).map((p) => p.resource);
			throw refused(
				`${vendor} refused the update of ${plan.resource}: ${errorMessage(err)}.` +
					(done.length ? ` Already updated: ${done.join(', ')}.` : ' Nothing was changed.') +
					' Running it again after the fix updates only what still differs.',
				adapter,
				err
			);
		}
	}
	return { changes, unchanged, applied: true, cannotText };
}

/** Refuse numbers in a Messaging Service whose own inbound webhook replaces their SmsUrl. */
async function refuseServiceWebhooks(client: twilio.Twilio, numbers: readonly string[], adapter: 'twilio' | 'local'): Promise<void> {
	const found: string[] = [];
	try {
		for (const service of await client.messaging.v1.services.list({ pageSize: 100 })) {
			if (service.useInboundWebhookOnNumber) continue;
			for (const n of await client.messaging.v1.services(service.sid).phoneNumbers.list({ pageSize: 1000 })) {
				if (numbers.includes(n.phoneNumber)) {
					found.push(`${n.phoneNumber} is in Messaging Service ${service.sid} (${service.friendlyName}), whose inbound webhook ${service.inboundRequestUrl || '(none)'} replaces the number's SmsUrl.`);
				}
			}
		}
	} catch (err) {
		throw refused(`Could not read the account's Messaging Services on Twilio: ${err instanceof Error ? err.message : String(err)}. Nothing was changed.`, adapter, err);
	}
	if (found.length === 0) return;
	throw refused(
		`${found.join(' ')} Texts would not reach Switchboard. In the Twilio console (Messaging > Services > Integration) choose "Defer to sender's webhook", or take the number out of the service, then run this again. Nothing was changed.`,
		adapter
	);
}

type OwnedNumber = Awaited<ReturnType<twilio.Twilio['incomingPhoneNumbers']['list']>>[number];
type Plan = { resource: string; changes: FieldChange[]; apply: (options: Record<string, string>) => Promise<unknown> };

/** Each number's changes; refuses (before any write) numbers attached to an app or trunk unless `detach`. */
function planNumbers(client: twilio.Twilio, input: ProvisionInput, byNumber: Map<string, OwnedNumber>, vendor: string, adapter: 'twilio' | 'local'): Plan[] {
	const desired = desiredNumberSettings(input.publicBaseUrl, input.routes);
	const plans: Plan[] = [];
	const attached: FieldChange[] = [];
	for (const number of input.numbers) {
		const found = byNumber.get(number);
		if (!found) continue;
		const current = found as unknown as Record<string, unknown>;
		const detach = overrides(number, current);
		attached.push(...detach);
		plans.push({
			resource: number,
			changes: [...(input.detach ? detach : []), ...differences(number, current, desired)],
			apply: (options) => client.incomingPhoneNumbers(found.sid).update(options)
		});
	}
	if (attached.length > 0 && !input.detach) {
		const lines = attached.map((c) => `${c.resource} has ${c.field} ${c.current}: ${OVERRIDE_MEANING[c.field as keyof typeof OVERRIDE_MEANING]}.`);
		throw refused(
			`${lines.join(' ')} The webhook URLs Switchboard writes would have no effect on ${vendor}. ` +
				'Run again with --detach to clear these fields, or detach the number in the Twilio console. Nothing was changed.',
			adapter
		);
	}
	return plans;
}

/** The report as the table `npm run provision` prints. */
export function formatProvisionReport(report: ProvisionReport, dryRun: boolean): string {
	const lines: string[] = [];
	const textWarning = report.cannotText.length
		? [
				`Cannot text: ${report.cannotText.join(', ')} (capabilities.sms is false). Texts to and from ${report.cannotText.length === 1 ? 'it' : 'them'} will fail; use an SMS-capable number for queues that text.`
			]
		: [];
	if (report.changes.length === 0) {
		lines.push(`Nothing to change: ${report.unchanged.join(', ')} already point at Switchboard.`, ...textWarning);
		return lines.join('\n');
	}
	lines.push('| resource | field | current | desired |', '|---|---|---|---|');
	for (const c of report.changes) lines.push(`| ${c.resource} | ${c.field} | ${c.current || '(unset)'} | ${c.desired || '(cleared)'} |`);
	if (report.unchanged.length) lines.push('', `Already right: ${report.unchanged.join(', ')}.`);
	lines.push('', dryRun ? `Dry run: ${report.changes.length} fields would change; nothing was written.` : `Updated ${report.changes.length} fields.`);
	if (textWarning.length) lines.push('', ...textWarning);
	return lines.join('\n');
}
