/**
 * Which microphone and speaker the softphone uses. Devices belong to a computer, not to an
 * account, so the choice is kept in this browser (localStorage) and applied to the live
 * softphone at once through a window event; on the Voice SDK it becomes
 * `device.audio.setInputDevice` and `device.audio.speakerDevices.set`.
 */

export interface AudioChoice {
	/** A `MediaDeviceInfo.deviceId` of kind audioinput; null for the browser's default. */
	inputId: string | null;
	/** A deviceId of kind audiooutput; null for the default (some browsers cannot choose). */
	outputId: string | null;
}

export interface AudioDeviceOption {
	id: string;
	label: string;
}

const KEY = 'switchboard.softphone.audio';
export const AUDIO_CHOICE_EVENT = 'switchboard:audio-choice';
const NONE: AudioChoice = { inputId: null, outputId: null };

type Store = Pick<Storage, 'getItem' | 'setItem'>;

function defaultStore(): Store | null {
	return typeof localStorage === 'undefined' ? null : localStorage;
}

export function loadAudioChoice(store: Store | null = defaultStore()): AudioChoice {
	try {
		const raw = store?.getItem(KEY);
		if (!raw) return NONE;
		const parsed = JSON.parse(raw) as Partial<AudioChoice>;
		const id = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 512 ? v : null);
		return { inputId: id(parsed.inputId), outputId: id(parsed.outputId) };
	} catch {
		return NONE;
	}
}

/** Keep the choice and tell a running softphone in this tab to switch. */
export function saveAudioChoice(choice: AudioChoice, store: Store | null = defaultStore()): void {
	store?.setItem(KEY, JSON.stringify(choice));
	if (typeof window !== 'undefined') window.dispatchEvent(new CustomEvent<AudioChoice>(AUDIO_CHOICE_EVENT, { detail: choice }));
}

/** The computer's microphones and speakers (labels need the microphone permission). */
export async function listAudioDevices(
	media: Pick<MediaDevices, 'enumerateDevices'> | undefined = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices
): Promise<{ inputs: AudioDeviceOption[]; outputs: AudioDeviceOption[] }> {
	const devices = media ? await media.enumerateDevices() : [];
	const of = (kind: MediaDeviceKind, fallback: string) =>
		devices
			.filter((d) => d.kind === kind && d.deviceId && d.deviceId !== 'default' && d.deviceId !== 'communications')
			.map((d, i) => ({ id: d.deviceId, label: d.label || `${fallback} ${i + 1}` }));
	return { inputs: of('audioinput', 'Microphone'), outputs: of('audiooutput', 'Speaker') };
}
