/**
 * The agent's softphone state for the docked component: registration, the ringing or live
 * call, its timer and mute, and a heartbeat that tells routing (agent_status.softphone) whether
 * this browser can take a call. The device comes from the local carrier or the Voice SDK
 * depending on the token's mode; nothing here knows which.
 */
import { errorMessage } from '../errors';
import { api } from '$convex/_generated/api';
import { mutate } from '$lib/live';
import { archiveSid, dialOutcome, type CurrentCall, type DialResult, type LiveWrapUp, type Registration, type SoftphoneOptions, type WrapUp } from './call-types';
import type { SoftphoneCall, SoftphoneDevice } from './device';
import type { SoftphoneTokenResponse } from './protocol';
import { TOKEN_ERROR_CODES, TokenRefresher } from './token-refresh';
import { MICROPHONE_MISSING, microphoneProblem } from './microphone';
import { AUDIO_CHOICE_EVENT, loadAudioChoice, type AudioChoice } from './audio-devices';
import { DIAL_EVENT, type DialRequest } from './dial-request';

export type { CurrentCall, DialResult, LiveWrapUp, Registration, SoftphoneOptions, WrapUp } from './call-types';
export { formatDuration } from './call-types';

export const HEARTBEAT_MS = 15_000;

const TOKEN_FAILING = 'The softphone could not renew its sign-in to the phone service; no calls are offered until it does. Retrying…';

async function browserMicrophonePermission(): Promise<PermissionState | null> {
	if (typeof navigator === 'undefined' || !navigator.permissions) return null;
	const status = await navigator.permissions.query({ name: 'microphone' });
	return status.state;
}

async function defaultCreateDevice(token: SoftphoneTokenResponse): Promise<SoftphoneDevice> {
	if (token.mode === 'twilio') {
		const { createTwilioDevice } = await import('./adapters/twilio');
		return createTwilioDevice(token.token);
	}
	const { LocalSoftphoneDevice } = await import('./adapters/local');
	return new LocalSoftphoneDevice();
}

export class Softphone {
	registration = $state<Registration>('unregistered');
	call = $state<CurrentCall | null>(null);
	/** Answered calls whose form is not saved yet, oldest first; the component shows `wrapUp`. */
	wrapUps = $state<WrapUp[]>([]);
	/** True while Ready now is on its way. */
	readyBusy = $state(false);
	error = $state<string | null>(null);
	/** True while a pause or resume is on its way to the carrier. */
	recordingBusy = $state(false);
	/** How the last outbound call that never connected ended (busy, no answer, failed...), until dismissed or the next dial. */
	dialResult = $state<DialResult | null>(null);
	/** Ticks every second while a call is live, for the timer. */
	now = $state(Date.now());

	readonly elapsedSeconds = $derived(this.call?.startedAt ? Math.max(0, Math.floor((this.now - this.call.startedAt) / 1000)) : 0);
	/** The form to show: the call still in wrap-up first (its time is running), else the oldest unsaved one. */
	readonly wrapUp = $derived(this.wrapUps.find((w) => w.state === 'wrapping') ?? this.wrapUps[0] ?? null);
	/** Seconds until the shown wrap-up ends by itself; null when not counting (unknown, or already ready). */
	readonly wrapUpSecondsLeft = $derived(
		this.wrapUp?.state === 'wrapping' && this.wrapUp.endsAt !== null ? Math.max(0, Math.ceil((this.wrapUp.endsAt - this.now) / 1000)) : null
	);

	#device: SoftphoneDevice | null = null;
	#refresher: TokenRefresher | null = null;
	readonly #tokenRetryDelays: readonly number[] | undefined;
	readonly #audioChoice: () => AudioChoice;
	readonly #mediaDevices: Pick<MediaDevices, 'addEventListener' | 'removeEventListener'> | null;
	#waitingForMicrophone = false;
	#live: SoftphoneCall | null = null;
	/** A dial is on its way (connect not answered yet). */
	#dialling = false;
	/** The agent pressed Hang up: an outbound call that ends unanswered was canceled by them. */
	#hangingUp = false;
	#recordOutbound = true;
	/** Dial outcomes the server reported before the call ended here, by CallSid. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping that nothing renders
	readonly #outcomes = new Map<string, Omit<DialResult, 'to' | 'callSid'>>();
	#heartbeatTimer: ReturnType<typeof setInterval> | null = null;
	#clockTimer: ReturnType<typeof setInterval> | null = null;
	#stopped = false;
	readonly #fetch: typeof fetch;
	readonly #createDevice: (token: SoftphoneTokenResponse) => Promise<SoftphoneDevice>;
	readonly #heartbeat: (state: Registration) => Promise<unknown>;
	readonly #heartbeatMs: number;
	readonly #claim: (parentCallSid: string) => Promise<unknown>;
	readonly #setRecording: (parentCallSid: string, paused: boolean) => Promise<{ recording: 'on' | 'paused' }>;
	readonly #microphone: () => Promise<PermissionState | null>;
	readonly #readyNow: (parentCallSid: string) => Promise<unknown>;
	/** Wrap-ups saved here: hot state may still list them for a moment, and they must not come back. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping that nothing renders
	readonly #finished = new Set<string>();

	constructor(options: SoftphoneOptions = {}) {
		this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
		this.#createDevice = options.createDevice ?? defaultCreateDevice;
		this.#heartbeat = options.heartbeat ?? ((softphone) => mutate(api.agentStatus.heartbeat, { softphone }));
		this.#heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
		this.#claim = options.claim ?? ((callSid) => mutate(api.callLine.acceptCall, { callSid }));
		this.#microphone = options.microphonePermission ?? browserMicrophonePermission;
		this.#tokenRetryDelays = options.tokenRetryDelaysMs;
		this.#audioChoice = options.audioChoice ?? (() => loadAudioChoice());
		this.#mediaDevices = options.mediaDevices !== undefined ? options.mediaDevices : typeof navigator === 'undefined' ? null : (navigator.mediaDevices ?? null);
		this.#readyNow =
			options.readyNow ??
			(async (callSid) => {
				const { trpc } = await import('$lib/trpc');
				return trpc.calls.readyNow.mutate({ callSid });
			});
		this.#setRecording =
			options.setRecording ??
			(async (callSid, paused) => {
				const { trpc } = await import('$lib/trpc');
				return trpc.calls.setRecording.mutate({ callSid, paused });
			});
	}

	/** Fetch a token, build the device and register it; starts the heartbeat. */
	async start(): Promise<void> {
		this.#stopped = false;
		this.#heartbeatTimer ??= setInterval(() => this.#report(), this.#heartbeatMs);
		// Background tabs throttle timers (Chrome: once a minute); beat as soon as the tab is back.
		if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.#onVisible);
		if (typeof window !== 'undefined') window.addEventListener(AUDIO_CHOICE_EVENT, this.#onAudioChoice);
		if (typeof window !== 'undefined') window.addEventListener(DIAL_EVENT, this.#onDialRequest);
		this.#setRegistration('registering');
		// A blocked microphone means no call can be answered: say so (routing skips this softphone) and keep watching.
		if ((await this.#watchMicrophone()) === 'denied') return;
		try {
			const token = await this.#token();
			if (this.#stopped) return;
			const device = await this.#createDevice(token);
			if (this.#stopped) {
				device.destroy();
				return;
			}
			this.#device = device;
			this.#watchDevice(device);
			await this.#applyAudio(this.#audioChoice());
			await device.register();
		} catch (error) {
			this.error = errorMessage(error);
			this.#setRegistration('error');
		}
	}

	stop(): void {
		this.#stopped = true;
		if (this.#micStatus) this.#micStatus.onchange = null;
		this.#micStatus = null;
		if (this.#heartbeatTimer) clearInterval(this.#heartbeatTimer);
		this.#heartbeatTimer = null;
		if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.#onVisible);
		if (typeof window !== 'undefined') window.removeEventListener(AUDIO_CHOICE_EVENT, this.#onAudioChoice);
		if (typeof window !== 'undefined') window.removeEventListener(DIAL_EVENT, this.#onDialRequest);
		this.#stopClock();
		this.#refresher?.stop();
		this.#refresher = null;
		this.#device?.destroy();
		this.#device = null;
		this.#live = null;
		this.call = null;
		this.registration = 'unregistered';
	}

	/** Claim the call in hot state (the caller's CallSid rides in the screen pop), then answer it. */
	async accept(): Promise<void> {
		if (this.call?.phase !== 'ringing' || !this.#live) return;
		const live = this.#live;
		this.call.phase = 'connecting';
		const parent = this.call.customParameters.callSid;
		if (parent) {
			try {
				await this.#claim(parent);
			} catch (error) {
				this.error = errorMessage(error);
				live.reject();
				this.#clear();
				return;
			}
		}
		if (this.#live === live) live.accept();
	}

	/**
	 * Decline: the device rejects the ring, the carrier tells the Dial action `busy`, and the server
	 * offers the call to the next agent at once (convex callLine.declineCall); not counted as a miss.
	 */
	reject(): void {
		if (this.call?.phase !== 'ringing' || !this.#live) return;
		this.#live.reject();
		this.#clear();
	}

	hangUp(): void {
		if (!this.#live || !this.call || this.call.phase === 'ringing') return;
		this.#hangingUp = true;
		this.#live.disconnect();
	}

	toggleMute(): void {
		if (this.call?.phase !== 'active' || !this.#live) return;
		this.#live.mute(!this.call.muted);
	}

	/** Pause the recording (a card number, a private matter) or resume it. */
	async toggleRecording(): Promise<void> {
		const call = this.call;
		const parent = call ? archiveSid(call) : undefined;
		if (call?.phase !== 'active' || !call.recording || !parent || this.recordingBusy) return;
		this.recordingBusy = true;
		try {
			const result = await this.#setRecording(parent, call.recording === 'on');
			if (this.call === call) call.recording = result.recording;
			this.error = null;
		} catch (error) {
			this.error = errorMessage(error);
		} finally {
			this.recordingBusy = false;
		}
	}

	sendDigits(digits: string): void {
		if (this.call?.phase !== 'active' || !this.#live) return;
		this.call.digits += digits;
		this.#live.sendDigits(digits);
	}

	#micStatus: PermissionStatus | null = null;

	async #watchMicrophone(): Promise<PermissionState | null> {
		const state = await this.#microphone().catch(() => null);
		if (state === 'denied') this.#microphoneError({ code: 31401 });
		if (!this.#micStatus && typeof navigator !== 'undefined' && navigator.permissions) {
			// Allowing the microphone later (or blocking it) is picked up without a reload.
			const status = await navigator.permissions.query({ name: 'microphone' }).catch(() => null);
			if (status) {
				this.#micStatus = status;
				status.onchange = () => {
					if (this.#stopped) return;
					if (status.state === 'denied') this.#microphoneError({ code: 31401 });
					else if (this.registration === 'no-microphone') {
						this.error = null;
						this.#device?.destroy();
						this.#device = null;
						void this.start();
					}
				};
			}
		}
		return state;
	}

	async #token(): Promise<SoftphoneTokenResponse> {
		const response = await this.#fetch('/api/softphone/token', { credentials: 'same-origin' });
		if (!response.ok) throw new Error(`Could not get a softphone token (HTTP ${response.status}).`);
		return (await response.json()) as SoftphoneTokenResponse;
	}

	#watchDevice(device: SoftphoneDevice): void {
		const refresher = new TokenRefresher({
			fetchToken: async () => (await this.#token()).token,
			apply: (token) => device.updateToken(token),
			register: () => device.register(),
			// Not ready while the device cannot register: routing stops offering calls that would ring out.
			onFailing: () => {
				this.error = TOKEN_FAILING;
				this.#setRegistration('error');
			},
			onRecovered: () => {
				if (this.error === TOKEN_FAILING) this.error = null;
			},
			...(this.#tokenRetryDelays ? { delaysMs: this.#tokenRetryDelays } : {})
		});
		this.#refresher?.stop();
		this.#refresher = refresher;
		device.on('registered', () => {
			this.error = null;
			this.#setRegistration('ready');
		});
		device.on('unregistered', () => this.#setRegistration(this.#stopped ? 'unregistered' : 'registering'));
		device.on('error', (error) => {
			if (this.#microphoneError(error)) return;
			if (TOKEN_ERROR_CODES.has(error.code)) return refresher.expired(error);
			this.error = error.message;
			if (this.registration !== 'ready') this.#setRegistration('error');
		});
		device.on('tokenWillExpire', () => void refresher.refresh());
		device.on('incoming', (call) => this.#incoming(call));
	}

	/** Use the microphone and speaker chosen in Settings; a device that is gone leaves the default and says so. */
	async #applyAudio(choice: AudioChoice): Promise<void> {
		try {
			await this.#device?.setAudioDevices?.(choice);
		} catch (error) {
			this.error = `The chosen microphone or speaker could not be used (${errorMessage(error)}); the default is used.`;
		}
	}

	/** A Call button elsewhere on the page (dial-request.ts). */
	readonly #onDialRequest = (event: Event) => {
		const detail = (event as CustomEvent<DialRequest>).detail;
		if (!detail) return;
		event.preventDefault();
		void this.dial(detail.to, detail.params).then((call) => detail.settle(call !== null));
	};

	readonly #onAudioChoice = (event: Event) => {
		const detail = (event as CustomEvent<AudioChoice>).detail;
		if (detail) void this.#applyAudio(detail);
	};

	/** 31401 (denied) and 31402 (no microphone) come on the Call as well as the Device: either way, no calls can be answered. */
	#microphoneError(error: { code: number }): boolean {
		const problem = microphoneProblem(error.code);
		if (!problem) return false;
		this.error = problem;
		this.#setRegistration('no-microphone');
		if (error.code === 31402) this.#waitForMicrophone();
		return true;
	}

	/** After 31402, a microphone plugged in starts the softphone again (no reload needed). */
	#waitForMicrophone(): void {
		const media = this.#mediaDevices;
		if (!media || this.#waitingForMicrophone) return;
		this.#waitingForMicrophone = true;
		const onChange = () => {
			media.removeEventListener('devicechange', onChange);
			this.#waitingForMicrophone = false;
			if (this.#stopped || this.registration !== 'no-microphone' || this.error !== MICROPHONE_MISSING) return;
			this.error = null;
			this.#refresher?.stop();
			this.#device?.destroy();
			this.#device = null;
			void this.start();
		};
		media.addEventListener('devicechange', onChange);
	}

	#incoming(call: SoftphoneCall): void {
		if (this.#live || this.#dialling) {
			// One call at a time: a second offer goes back so routing tries someone else.
			call.reject();
			return;
		}
		this.#live = call;
		this.call = {
			callSid: call.callSid,
			direction: 'inbound',
			from: call.from,
			to: call.to,
			customParameters: Object.fromEntries(call.customParameters),
			phase: 'ringing',
			progress: null,
			startedAt: null,
			muted: false,
			digits: '',
			recording: null,
			audio: null
		};
		this.#follow(call);
	}

	/**
	 * Call `to` from this softphone (Device.connect): `params` go to the TwiML App's voice URL with
	 * `To`, where the server checks the dial and answers `<Dial>`. The call shows as dialling, then
	 * ringing (their phone rings), then on call; if it never connects, `dialResult` says why.
	 * Resolves with the call, or null when it could not be placed (the reason is in `dialResult`).
	 */
	async dial(to: string, params: Record<string, string> = {}, options: { recorded?: boolean } = {}): Promise<SoftphoneCall | null> {
		if (this.#live || this.#dialling || this.call) {
			this.error = 'You are already on a call: hang up before placing another.';
			return null;
		}
		const device = this.#device;
		if (!device || this.registration !== 'ready') {
			this.#dialFailed(to, null, 'The softphone is not ready: wait until it shows Ready, then try again.');
			return null;
		}
		this.dialResult = null;
		this.error = null;
		this.#dialling = true;
		const placing: CurrentCall = {
			callSid: '',
			direction: 'outbound',
			from: to,
			to,
			customParameters: { ...params, To: to },
			phase: 'connecting',
			progress: 'dialling',
			startedAt: null,
			muted: false,
			digits: '',
			recording: null,
			audio: null
		};
		this.call = placing;
		// $state keeps a proxy of what it is given: compare against (and write through) that proxy,
		// or the call would never be "still ours" and every dial would be hung up as soon as placed.
		const call = this.call;
		let live: SoftphoneCall;
		try {
			live = await device.connect({ params: { ...params, To: to } });
		} catch (error) {
			if (this.call === call) this.#clear();
			this.#dialFailed(to, null, errorMessage(error));
			return null;
		} finally {
			this.#dialling = false;
		}
		if (this.call !== call) {
			// Stopped or hung up while the call was being placed.
			live.disconnect();
			return null;
		}
		this.#live = live;
		call.callSid = live.callSid;
		this.#recordOutbound = options.recorded ?? true;
		this.#follow(live);
		// Events that came before the call object reached us (the local stream can be quicker).
		const status = live.status();
		if (status === 'ringing') call.progress = 'ringing';
		else if (status === 'open') this.#answered(live);
		else if (status === 'closed') this.#ended(live, 'disconnect');
		return live;
	}

	/**
	 * What the carrier said about an outbound call that did not connect (the Dial's DialCallStatus,
	 * pushed by the server): shown to the agent instead of the plain "ended".
	 */
	reportDialOutcome(callSid: string, status: 'busy' | 'no-answer' | 'failed' | 'canceled', reason?: string): void {
		const pending = this.dialResult;
		if (pending && pending.callSid === callSid) this.dialResult = { ...pending, ...dialOutcome(status, reason) };
		else this.#outcomes.set(callSid, dialOutcome(status, reason));
	}

	dismissDialResult(): void {
		this.dialResult = null;
	}

	#dialFailed(to: string, callSid: string | null, reason: string): void {
		this.dialResult = { to, callSid, ...dialOutcome('failed', reason) };
	}

	#answered(call: SoftphoneCall): void {
		if (this.#live !== call || !this.call) return;
		this.call.phase = 'active';
		this.call.progress = null;
		this.call.startedAt = Date.now();
		if (call.callSid) this.call.callSid = call.callSid;
		// Routed calls carry the caller's CallSid and are recorded from answer (after the notice); so are dialled ones.
		if (this.call.direction === 'outbound' ? this.#recordOutbound : this.call.customParameters.callSid) this.call.recording = 'on';
		this.#startClock();
	}

	#ended(call: SoftphoneCall, end: 'cancel' | 'disconnect' | 'reject'): void {
		if (this.#live !== call) return;
		const ended = this.call;
		const parent = ended ? archiveSid(ended) : undefined;
		if (end === 'disconnect' && ended?.phase === 'active' && parent) {
			this.#addWrapUp({ callSid: parent, from: ended.from, customerName: ended.customParameters.customerName ?? null }, false);
		}
		if (ended?.direction === 'outbound' && ended.phase !== 'active') {
			const callSid = call.callSid || ended.callSid || null;
			const told = callSid ? this.#outcomes.get(callSid) : undefined;
			if (callSid) this.#outcomes.delete(callSid);
			this.dialResult = { to: ended.to, callSid, ...(told ?? (this.#hangingUp ? dialOutcome('canceled') : dialOutcome('ended'))) };
		}
		this.#hangingUp = false;
		this.#clear();
	}

	#follow(call: SoftphoneCall): void {
		const mine = () => this.#live === call;
		call.on('ringing', () => {
			if (!mine() || !this.call || this.call.phase === 'active') return;
			if (call.callSid) this.call.callSid = call.callSid;
			this.call.progress = 'ringing';
		});
		call.on('accept', () => this.#answered(call));
		call.on('mute', (muted) => {
			if (mine() && this.call) this.call.muted = muted;
		});
		call.on('media', (state, receiving) => {
			if (mine() && this.call) this.call.audio = state === 'ended' ? null : { state, receiving };
		});
		call.on('error', (error) => {
			if (this.#microphoneError(error) || !mine()) return;
			this.error = error.message;
		});
		for (const end of ['cancel', 'disconnect', 'reject'] as const) call.on(end, () => this.#ended(call, end));
	}

	/** The wrap-up of `callSid` was saved: its form goes. */
	finishWrapUp(callSid: string): void {
		this.#finished.add(callSid);
		this.wrapUps = this.wrapUps.filter((w) => w.callSid !== callSid);
		this.#tickIfNeeded();
	}

	/** "Ready now": be offered calls again before the wrap-up time runs out; the form stays to be saved. */
	async readyNow(): Promise<void> {
		const wrapUp = this.wrapUp;
		if (wrapUp?.state !== 'wrapping' || this.readyBusy) return;
		this.readyBusy = true;
		try {
			await this.#readyNow(wrapUp.callSid);
			wrapUp.state = 'ready';
			wrapUp.readyBy = 'agent';
			this.error = null;
		} catch (error) {
			this.error = errorMessage(error);
		} finally {
			this.readyBusy = false;
			this.#tickIfNeeded();
		}
	}

	/**
	 * Hot state's list of my calls in wrap-up (live query): it brings the countdown's end, a form
	 * back after a reload, and the moment the agent is available again (the call leaves the list
	 * when the wrap-up time ran out).
	 */
	syncWrapUps(live: readonly LiveWrapUp[]): void {
		for (const row of live) {
			if (this.#finished.has(row.callSid)) continue;
			// A transfer took me off the call: the wrap-up my leg's end opened for the call is my hand-off's (what I typed stays).
			const handedOff = row.handoffOf ? this.wrapUps.find((w) => w.callSid === row.handoffOf && !w.seenLive) : undefined;
			if (handedOff && row.handoffOf) Object.assign(handedOff, { callSid: row.callSid, handoffOf: row.handoffOf });
			const known = this.wrapUps.find((w) => w.callSid === row.callSid);
			if (known) {
				known.endsAt = row.wrapupEndsAt;
				known.seenLive = true;
			} else {
				this.#addWrapUp({ callSid: row.callSid, from: row.from, customerName: row.customerName, ...(row.handoffOf ? { handoffOf: row.handoffOf } : {}) }, true, row.wrapupEndsAt);
			}
		}
		for (const w of this.wrapUps) {
			if (w.state === 'wrapping' && w.seenLive && !live.some((row) => row.callSid === w.callSid)) {
				w.state = 'ready';
				w.readyBy = 'timeout';
			}
		}
		this.#tickIfNeeded();
	}

	#addWrapUp(call: { callSid: string; from: string; customerName: string | null; handoffOf?: string }, seenLive: boolean, endsAt: number | null = null): void {
		if (this.#finished.has(call.callSid) || this.wrapUps.some((w) => w.callSid === call.callSid || w.handoffOf === call.callSid)) return;
		this.wrapUps.push({ ...call, state: 'wrapping', readyBy: null, endsAt, seenLive, disposition: '', notes: '' });
		this.#tickIfNeeded();
	}

	#clear(): void {
		this.#live = null;
		this.call = null;
		this.#tickIfNeeded();
	}

	/** The clock runs while a call is live or a wrap-up counts down. */
	#tickIfNeeded(): void {
		if (this.call?.phase === 'active' || this.wrapUps.some((w) => w.state === 'wrapping' && w.endsAt !== null)) this.#startClock();
		else this.#stopClock();
	}

	#startClock(): void {
		this.now = Date.now();
		this.#clockTimer ??= setInterval(() => (this.now = Date.now()), 1000);
	}

	#stopClock(): void {
		if (this.#clockTimer) clearInterval(this.#clockTimer);
		this.#clockTimer = null;
	}

	readonly #onVisible = () => {
		if (document.visibilityState === 'visible') this.#report();
	};

	#setRegistration(state: Registration): void {
		if (this.registration === state) return;
		this.registration = state;
		this.#report();
	}

	#report(): void {
		this.#heartbeat(this.registration).catch(() => {
			// The live connection may not be up yet; the next beat reports again.
		});
	}
}
