/** Input rules both speech adapters enforce before spending time on an engine. */
import { badRequest } from '../../errors';
import type { TranscribeInput } from './port';

export function assertTranscribeInput(input: TranscribeInput): void {
	if (input.audio.byteLength === 0) throw badRequest('EMPTY_AUDIO', 'The audio file is empty; nothing to transcribe.');
	if (input.language !== undefined && !/^[a-z]{2}$/.test(input.language)) {
		throw badRequest('INVALID_LANGUAGE', `Language ${JSON.stringify(input.language)} is not an ISO-639-1 code such as "en".`);
	}
}

/** A file name with an extension matching the content type; the engines sniff formats by it. */
export function audioFileName(contentType: string): string {
	const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
	const ext: Record<string, string> = {
		'audio/wav': 'wav',
		'audio/x-wav': 'wav',
		'audio/wave': 'wav',
		'audio/vnd.wave': 'wav',
		'audio/mpeg': 'mp3',
		'audio/mp3': 'mp3',
		'audio/mp4': 'm4a',
		'audio/x-m4a': 'm4a',
		'audio/flac': 'flac',
		'audio/x-flac': 'flac',
		'audio/ogg': 'ogg',
		'audio/webm': 'webm',
		'audio/basic': 'au'
	};
	return `audio.${ext[type] ?? 'bin'}`;
}
