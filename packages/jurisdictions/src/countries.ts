// ISO 3166-1 alpha-2: every officially assigned code (249).
const CODES =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO ' +
  'FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE ' +
  'JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO ' +
  'MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW ' +
  'PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM ' +
  'TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW';

export const COUNTRY_CODES: readonly string[] = CODES.split(' ');
const KNOWN = new Set(COUNTRY_CODES);

export function isCountryCode(value: unknown): value is string {
  return typeof value === 'string' && KNOWN.has(value);
}

const EURO = 'AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK'.split(' ');

/** Defaults a company of the country starts with; a company of another country states its own. */
export interface CountryDefaults {
  currency?: string;
  /** IANA time zone of the capital (a company elsewhere in a multi-zone country changes it). */
  timeZone?: string;
  /** Tax rates in percent, 0 included (zero-rated and exempt lines). */
  taxRates?: readonly string[];
}

const DEFAULTS: Record<string, CountryDefaults> = {
  AT: { timeZone: 'Europe/Vienna', taxRates: ['20', '13', '10', '0'] },
  AU: { currency: 'AUD', timeZone: 'Australia/Sydney', taxRates: ['10', '0'] },
  BE: { timeZone: 'Europe/Brussels', taxRates: ['21', '12', '6', '0'] },
  CA: { currency: 'CAD', timeZone: 'America/Toronto', taxRates: ['5', '13', '15', '0'] },
  CH: { currency: 'CHF', timeZone: 'Europe/Zurich', taxRates: ['8.1', '3.8', '2.6', '0'] },
  DE: { timeZone: 'Europe/Berlin', taxRates: ['19', '7', '0'] },
  DK: { currency: 'DKK', timeZone: 'Europe/Copenhagen', taxRates: ['25', '0'] },
  EG: { currency: 'EGP', timeZone: 'Africa/Cairo', taxRates: ['14', '0'] },
  ES: { timeZone: 'Europe/Madrid', taxRates: ['21', '10', '4', '0'] },
  FI: { timeZone: 'Europe/Helsinki', taxRates: ['25.5', '14', '10', '0'] },
  FR: { timeZone: 'Europe/Paris', taxRates: ['20', '10', '5.5', '2.1', '0'] },
  GB: { currency: 'GBP', timeZone: 'Europe/London', taxRates: ['20', '5', '0'] },
  IE: { timeZone: 'Europe/Dublin', taxRates: ['23', '13.5', '9', '0'] },
  IN: { currency: 'INR', timeZone: 'Asia/Kolkata', taxRates: ['5', '12', '18', '28', '0'] },
  IT: { timeZone: 'Europe/Rome', taxRates: ['22', '10', '5', '4', '0'] },
  JO: { currency: 'JOD', timeZone: 'Asia/Amman', taxRates: ['16', '0'] },
  JP: { currency: 'JPY', timeZone: 'Asia/Tokyo', taxRates: ['10', '8', '0'] },
  KW: { currency: 'KWD', timeZone: 'Asia/Kuwait', taxRates: ['0'] },
  BH: { currency: 'BHD', timeZone: 'Asia/Bahrain', taxRates: ['10', '0'] },
  OM: { currency: 'OMR', timeZone: 'Asia/Muscat', taxRates: ['5', '0'] },
  QA: { currency: 'QAR', timeZone: 'Asia/Qatar', taxRates: ['0'] },
  LU: { timeZone: 'Europe/Luxembourg', taxRates: ['17', '14', '8', '3', '0'] },
  NL: { timeZone: 'Europe/Amsterdam', taxRates: ['21', '9', '0'] },
  NO: { currency: 'NOK', timeZone: 'Europe/Oslo', taxRates: ['25', '15', '12', '0'] },
  NZ: { currency: 'NZD', timeZone: 'Pacific/Auckland', taxRates: ['15', '0'] },
  PL: { currency: 'PLN', timeZone: 'Europe/Warsaw', taxRates: ['23', '8', '5', '0'] },
  PT: { timeZone: 'Europe/Lisbon', taxRates: ['23', '13', '6', '0'] },
  SE: { currency: 'SEK', timeZone: 'Europe/Stockholm', taxRates: ['25', '12', '6', '0'] },
  SG: { currency: 'SGD', timeZone: 'Asia/Singapore', taxRates: ['9', '0'] },
  US: { currency: 'USD', timeZone: 'America/New_York', taxRates: ['0'] },
};
for (const code of EURO) DEFAULTS[code] = { currency: 'EUR', ...DEFAULTS[code] };

export function countryDefaults(country: string): CountryDefaults {
  return (Object.hasOwn(DEFAULTS, country) && DEFAULTS[country]) || {};
}
