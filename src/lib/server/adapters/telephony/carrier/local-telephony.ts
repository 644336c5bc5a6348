/**
 * The telephony port in local mode: the production adapter (TwilioTelephony and its official
 * `twilio` client), pointed at the local carrier's REST surface. One code path does the work in
 * both modes: the client builds the same requests, the carrier answers them with Twilio's JSON
 * and error bodies, and the client parses them into the same instances and RestExceptions.
 *
 * Only the last hop differs. The carrier's REST lives in this same process (the app serves it at
 * `${PUBLIC_BASE_URL}/carrier`), and the app calls the carrier while it starts, before it
 * listens (rebuilding live calls asks `fetchCall`). So the client's httpClient hands each request
 * to the carrier's request handler in-process instead of opening a socket to ourselves: the same
 * handler the /carrier route runs, never a request to a server that is not up yet.
 */
import { AdapterError } from '../../errors';
import type { LocalCarrier } from './local-carrier';
import { serveTwilioRest } from './rest';
import { fetchCarrierMedia } from '../media';
import type { MediaLimits, RecordingMedia } from '../port';
import { RebasingRequestClient, TwilioTelephony } from '../twilio';

/** Answers a web Request for `path` (below the carrier's base URL, starting with `/2010-04-01/`). */
export type CarrierRestHandler = (request: Request, path: string) => Promise<Response>;

type AxiosInstance = RebasingRequestClient['axios'];
type AxiosAdapter = Extract<NonNullable<AxiosInstance['defaults']['adapter']>, (...args: never[]) => unknown>;

/**
 * A fetch that answers URLs under `baseUrl` with `serve`, in this process, and refuses every
 * other URL: in local mode the client has no one else to talk to, so a request elsewhere is a
 * bug (a rebasing miss) that must fail loudly, never reach the network with the account's key.
 * MMS media, the one thing fetched from the carrier's origin over HTTP, goes through fetchMedia.
 */
export function inProcessFetch(baseUrl: string, serve: CarrierRestHandler): typeof fetch {
	const base = baseUrl.replace(/\/+$/, '');
	const basePath = new URL(base).pathname.replace(/\/+$/, '');
	return async (input, init) => {
		const request = new Request(input, init);
		if (!request.url.startsWith(`${base}/`)) {
			throw new AdapterError(`LocalTelephony refused a request to ${request.url.split('?')[0]}: in local mode only the local carrier at ${base} is reachable.`, {
				port: 'telephony',
				adapter: 'local'
			});
		}
		return serve(request, new URL(request.url).pathname.slice(basePath.length));
	};
}

/**
 * twilio's RequestClient (so its form encoding, auth header and response handling all run) with
 * api.twilio.com rebased onto the carrier, whose axios adapter delivers to `fetchImpl` instead
 * of the network.
 */
export class InProcessRequestClient extends RebasingRequestClient {
	constructor(baseUrl: string, fetchImpl: typeof fetch) {
		super(baseUrl);
		const axios = this.axios;
		const adapter: AxiosAdapter = async (config) => {
			const url = axios.getUri(config);
			const headers = new Headers();
			for (const [name, value] of Object.entries(config.headers.toJSON())) {
				if (value !== undefined && value !== null) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
			}
			const method = (config.method ?? 'get').toUpperCase();
			const body = method === 'GET' || method === 'DELETE' || config.data === undefined ? undefined : String(config.data as string);
			const res = await fetchImpl(url, { method, headers, body });
			const response = {
				// Text, as axios's http adapter hands it over; axios's transformResponse parses the JSON.
				data: await res.text(),
				status: res.status,
				statusText: res.statusText,
				headers: Object.fromEntries(res.headers),
				config,
				request: { url, method }
			};
			if (config.validateStatus && !config.validateStatus(res.status)) {
				throw Object.assign(new Error(`Request failed with status code ${res.status}`), { response, config });
			}
			return response;
		};
		axios.defaults.adapter = adapter;
	}
}

/** The production adapter as this carrier's client, with the carrier's REST answering in-process. */
export class LocalTelephony extends TwilioTelephony {
	override readonly kind = 'local';
	readonly carrier: LocalCarrier;

	/**
	 * `serve` answers the client's requests; the carrier engine's full HTTP surface in the app
	 * (conferences included), the carrier's own REST paths by default.
	 */
	constructor(carrier: LocalCarrier, serve: CarrierRestHandler = (request, path) => serveTwilioRest(carrier, request, path)) {
		const settings = carrier.clientSettings();
		const fetchImpl = inProcessFetch(settings.apiBaseUrl, serve);
		super(settings, { httpClient: new InProcessRequestClient(settings.apiBaseUrl, fetchImpl), fetch: fetchImpl });
		this.carrier = carrier;
	}

	/**
	 * MMS media over HTTP, as from Twilio's media hosts: the carrier serves its media on its own
	 * origin (the app's /carrier in local mode) to the account's credentials. Media is fetched by
	 * a job, never during start-up, so the network is fine here.
	 */
	override fetchMedia(url: string, limits: MediaLimits): Promise<RecordingMedia> {
		const origin = new URL(this.carrier.apiBaseUrl).origin;
		const auth = this.carrier.restAuthorization();
		return fetchCarrierMedia(
			{
				adapter: 'local',
				allowed: (u) => u.origin === origin,
				describe: `the local carrier's origin ${origin}`,
				authorization: (u) => (u.origin === origin ? auth : null)
			},
			url,
			limits
		);
	}
}
