/**
 * The time zones a number's owner may be in, derived from the number: calling hours and the
 * calling window must be open in every one of them. A number's country is not a zone, so North
 * American area codes come from a table (data, below); an area code the table does not know is
 * taken as any of the contiguous US zones, the strict reading: the window is then open only
 * while it is open from Eastern to Pacific time.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

const CONTIGUOUS_US = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles'];

/** NANP area codes with one known zone. Kept as data; extend rather than guess. */
const AREA_CODE_ZONES: Record<string, readonly string[]> = {
	'America/New_York': [
		'201',
		'202',
		'203',
		'207',
		'212',
		'215',
		'216',
		'240',
		'267',
		'301',
		'302',
		'305',
		'313',
		'332',
		'347',
		'404',
		'410',
		'412',
		'413',
		'416',
		'443',
		'508',
		'516',
		'518',
		'551',
		'561',
		'585',
		'603',
		'607',
		'609',
		'610',
		'614',
		'617',
		'631',
		'646',
		'678',
		'703',
		'704',
		'716',
		'718',
		'732',
		'757',
		'770',
		'786',
		'802',
		'813',
		'845',
		'856',
		'860',
		'862',
		'904',
		'908',
		'914',
		'917',
		'919',
		'929',
		'954',
		'973'
	],
	'America/Chicago': [
		'210',
		'214',
		'225',
		'281',
		'309',
		'312',
		'314',
		'316',
		'318',
		'319',
		'402',
		'405',
		'414',
		'469',
		'479',
		'501',
		'504',
		'512',
		'515',
		'563',
		'601',
		'608',
		'612',
		'615',
		'618',
		'630',
		'651',
		'708',
		'713',
		'731',
		'773',
		'815',
		'816',
		'817',
		'832',
		'847',
		'901',
		'913',
		'918',
		'952',
		'972'
	],
	'America/Denver': ['303', '307', '385', '406', '505', '719', '720', '801', '970'],
	'America/Phoenix': ['480', '520', '602', '623', '928'],
	'America/Los_Angeles': [
		'206',
		'213',
		'253',
		'310',
		'323',
		'360',
		'408',
		'415',
		'425',
		'503',
		'509',
		'510',
		'530',
		'541',
		'559',
		'562',
		'619',
		'626',
		'628',
		'650',
		'661',
		'669',
		'702',
		'707',
		'714',
		'725',
		'747',
		'760',
		'775',
		'805',
		'818',
		'831',
		'858',
		'909',
		'916',
		'925',
		'949',
		'971'
	],
	'America/Anchorage': ['907'],
	'Pacific/Honolulu': ['808'],
	'America/Puerto_Rico': ['787', '939', '340'],
	'Pacific/Guam': ['671'],
	'Pacific/Saipan': ['670'],
	'Pacific/Pago_Pago': ['684']
};

const BY_AREA_CODE = new Map<string, string[]>();
for (const [zone, codes] of Object.entries(AREA_CODE_ZONES)) for (const code of codes) BY_AREA_CODE.set(code, [zone]);

/** Countries outside North America that lie in one zone. */
const COUNTRY_ZONES: Record<string, string> = {
	GB: 'Europe/London',
	IE: 'Europe/Dublin',
	FR: 'Europe/Paris',
	DE: 'Europe/Berlin',
	ES: 'Europe/Madrid',
	IT: 'Europe/Rome',
	NL: 'Europe/Amsterdam',
	BE: 'Europe/Brussels',
	CH: 'Europe/Zurich',
	SE: 'Europe/Stockholm',
	PL: 'Europe/Warsaw',
	JP: 'Asia/Tokyo',
	IN: 'Asia/Kolkata',
	NZ: 'Pacific/Auckland'
};

/**
 * The zones the owner of `e164` may be in; empty when the number gives no zone at all (a country
 * spanning several zones that the table does not split), which callers treat as "unknown".
 */
export function recipientZones(e164: string): string[] {
	const parsed = parsePhoneNumberFromString(e164);
	if (!parsed) return [];
	if (parsed.countryCallingCode === '1') {
		const area = parsed.nationalNumber.slice(0, 3);
		return (
			BY_AREA_CODE.get(area) ?? (parsed.country === 'CA' ? ['America/Toronto', 'America/Winnipeg', 'America/Edmonton', 'America/Vancouver'] : CONTIGUOUS_US)
		);
	}
	const zone = parsed.country ? COUNTRY_ZONES[parsed.country] : undefined;
	return zone ? [zone] : [];
}
