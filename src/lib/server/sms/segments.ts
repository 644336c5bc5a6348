/**
 * How many segments a text costs, as carriers count them: GSM-7 texts fit 160 characters in one
 * segment and 153 per segment when split; any character outside GSM-7 (most emoji, curly quotes,
 * many scripts) makes the whole text UCS-2, 70 in one and 67 per split segment. Throughput limits
 * count segments, so a long text takes its number's send slot for longer.
 */

const GSM7_BASIC =
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Extension characters take an escape plus the character: two septets. */
const GSM7_EXTENDED = '^{}\\[~]|€\f';

const BASIC = new Set(GSM7_BASIC);
const EXTENDED = new Set(GSM7_EXTENDED);

export function countSegments(body: string): number {
	let septets = 0;
	let gsm = true;
	for (const ch of body) {
		if (BASIC.has(ch)) septets += 1;
		else if (EXTENDED.has(ch)) septets += 2;
		else {
			gsm = false;
			break;
		}
	}
	if (gsm) return septets <= 160 ? 1 : Math.ceil(septets / 153);
	// UCS-2 counts UTF-16 code units: an emoji outside the BMP takes two.
	const units = body.length;
	return units <= 70 ? 1 : Math.ceil(units / 67);
}
