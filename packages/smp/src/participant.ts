// A Peppol participant identifier and its SML name, as the Peppol Policy for use of Identifiers 4.x and the SML
// specification 2.0 define them since the move to BDXL: the DNS name is
//   strip-trailing(base32(sha256(lowercase(ID-VALUE))), "=") + "." + ID-SCHEME + "." + SML-ZONE
// (ID-VALUE is "0088:5790000435975", the ICD and the identifier; ID-SCHEME is "iso6523-actorid-upis"), and the SMP
// is the U-NAPTR record of that name with service "Meta:SMP". The retired "B-" + md5 CNAME is not used.
import { createHash } from 'node:crypto';

export const PARTICIPANT_SCHEME = 'iso6523-actorid-upis';
export const NAPTR_SERVICE_META_SMP = 'Meta:SMP';

export interface ParticipantId {
  /** The identifier scheme, always iso6523-actorid-upis. */
  scheme: typeof PARTICIPANT_SCHEME;
  /** The ICD of the identifier (the EAS code), e.g. "0088". */
  icd: string;
  /** The identifier within the ICD, as written. */
  id: string;
  /** "{icd}:{id}" lowercased: participant identifiers are case-insensitive (Policy for use of Identifiers). */
  value: string;
}

/** Why a participant identifier is refused. */
export type ParticipantIdProblem = 'format' | 'scheme' | 'length';

// POLICY 1: a participant identifier value is at most 50 characters; printable ASCII, no spaces.
const MAX_VALUE_LENGTH = 50;

/**
 * Reads "0088:5790000435975", "iso6523-actorid-upis::0088:5790000435975" or either percent-encoded (once more than
 * the router already decoded). Returns the problem instead of throwing.
 */
export function parseParticipantId(raw: string): ParticipantId | { problem: ParticipantIdProblem } {
  let text = raw.trim();
  if (/%[0-9a-f]{2}/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return { problem: 'format' };
    }
  }
  const prefixed = /^([^:]+)::(.*)$/s.exec(text);
  if (prefixed) {
    if (prefixed[1]?.toLowerCase() !== PARTICIPANT_SCHEME) return { problem: 'scheme' };
    text = prefixed[2] ?? '';
  }
  const match = /^(\d{4}):([!-~]+)$/.exec(text);
  if (!match) return { problem: 'format' };
  const [, icd = '', id = ''] = match;
  if (text.length > MAX_VALUE_LENGTH) return { problem: 'length' };
  return { scheme: PARTICIPANT_SCHEME, icd, id, value: `${icd}:${id}`.toLowerCase() };
}

/** The participant as an SMP path segment: "iso6523-actorid-upis::0088:…", percent-encoded. */
export function participantPath(participant: ParticipantId): string {
  return encodeURIComponent(`${participant.scheme}::${participant.value}`);
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without the "=" padding. */
export function base32NoPadding(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** The DNS name the SML publishes the participant's U-NAPTR under, e.g. "…….iso6523-actorid-upis.edelivery.tech.ec.europa.eu". */
export function smlName(participant: ParticipantId, zone: string): string {
  const hash = createHash('sha256').update(participant.value, 'utf8').digest();
  // DNS names are case-insensitive; base32 is written lowercase as DNS names usually are.
  return `${base32NoPadding(hash).toLowerCase()}.${participant.scheme}.${zone.replace(/^\.+|\.+$/g, '')}`;
}

export interface NaptrRecord {
  flags: string;
  service: string;
  regexp: string;
  replacement: string;
  order: number;
  preference: number;
}

/**
 * The SMP's base URL from the name's NAPTR records (RFC 3403, U-NAPTR of RFC 4848): the records with flag "U" and
 * service "Meta:SMP", lowest order then preference first, whose regexp rewrites the name. Only the whole-name
 * rewrite the SML writes ("!^.*$!https://smp.example!") is applied: a regular expression from DNS is not run here
 * (it could be made to backtrack for ever), and back-references have nothing to refer to in it. Null when none fits.
 */
export function smpUrlFromNaptr(records: readonly NaptrRecord[]): string | null {
  const candidates = records
    .filter((r) => r.flags.toUpperCase() === 'U' && r.service === NAPTR_SERVICE_META_SMP)
    .sort((a, b) => a.order - b.order || a.preference - b.preference);
  for (const record of candidates) {
    const delimiter = record.regexp.charAt(0);
    if (!delimiter || /[\\\d]/.test(delimiter)) continue;
    const parts = record.regexp.split(delimiter);
    // "", ERE, replacement, flags
    if (parts.length !== 4 || parts[0] !== '') continue;
    const [, ere = '', replacement = '', flags = ''] = parts;
    if (!/^(\^?\.\*\$?)$/.test(ere) || !/^i?$/.test(flags) || replacement.includes('\\')) continue;
    let url: URL;
    try {
      url = new URL(replacement);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    if (url.username || url.password || url.search || url.hash) continue;
    return url.href.replace(/\/+$/, '');
  }
  return null;
}
