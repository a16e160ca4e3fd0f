// Reads one line of AIS as receivers and forwarders send it:
//   [\TAG block*hh\]!ccVDM,total,part,seq,channel,payload,fill*hh[,receiver metadata]
// — any talker (AI, BS, SA…), VDM (other ships) or VDO (own ship); an NMEA 4.0
// TAG block in front (source, time, group); whatever a receiver appends after
// the checksum (signal level, slot, UTC, station: `,d-109,S2105,…`) is
// tolerated and ignored. Pure: the caller assembles the parts (aisAssembler.ts).
import type { RejectReason } from '../feedMessage';
import { nmeaChecksum } from '../nmea/parseNmeaSentence';

/** The longest line accepted: an 82-character sentence plus a TAG block and receiver metadata. */
export const MAX_AIS_LINE_CHARS = 400;

export interface TagBlock {
  /** `s:` the source (receiver or station). */
  source?: string;
  /** `c:` the time (UNIX seconds, or ms from receivers that send 13 digits), as ms. */
  time?: number;
  /** `g:` sentence-grouping: part of total, group id. */
  group?: { part: number; total: number; id: number };
}

export interface AisSentence {
  talker: string;
  /** VDO: the receiver's own ship. */
  own: boolean;
  total: number;
  part: number;
  /** Sequential message id, '' when absent (single-part messages). */
  sequence: string;
  channel: string;
  payload: string;
  fill: number;
  tag?: TagBlock;
}

export type SentenceResult = { ok: true; sentence: AisSentence } | { ok: false; reason: RejectReason; detail: string };

const ADDRESS = /^[A-Z]{2}VD[MO]$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const PAYLOAD = /^[0-W`-w]*$/;
const HEX2 = /^[0-9A-Fa-f]{2}$/;

export function parseAisSentence(line: string): SentenceResult {
  const text = line.trim();
  if (text.length === 0) return fail('bad-sentence', 'empty line');
  if (text.length > MAX_AIS_LINE_CHARS) return fail('oversized', `line of ${text.length} characters; Vigie accepts up to ${MAX_AIS_LINE_CHARS}`);
  if (!PRINTABLE_ASCII.test(text)) return fail('bad-sentence', 'line holds characters outside printable ASCII');
  let rest = text;
  let tag: TagBlock | undefined;
  if (rest.startsWith('\\')) {
    const end = rest.indexOf('\\', 1);
    if (end === -1) return fail('bad-sentence', 'TAG block not closed by a backslash');
    const parsed = parseTagBlock(rest.slice(1, end));
    if (!parsed.ok) return parsed;
    tag = parsed.tag;
    rest = rest.slice(end + 1);
  }
  if (rest[0] !== '!') return fail('bad-sentence', 'an AIS sentence starts with ! (encapsulated data)');
  const star = rest.indexOf('*');
  if (star === -1) return fail('bad-checksum', 'no checksum: the sentence must end with *hh');
  const given = rest.slice(star + 1, star + 3);
  const after = rest.slice(star + 3);
  if (!HEX2.test(given)) return fail('bad-checksum', `checksum must be * and two hex digits, found "*${given}"`);
  // Receivers append their own fields after the checksum, comma first.
  if (after !== '' && after[0] !== ',') return fail('bad-checksum', `unexpected "${after.slice(0, 20)}" after the checksum`);
  const body = rest.slice(1, star);
  const computed = nmeaChecksum(body);
  if (computed !== given.toUpperCase()) return fail('bad-checksum', `checksum *${given} does not match the sentence (*${computed})`);

  const fields = body.split(',');
  const address = fields[0]!;
  if (!ADDRESS.test(address)) return fail('unsupported', `${address} is not an AIS sentence (VDM or VDO)`);
  if (fields.length !== 7) return fail('bad-sentence', `${address} has ${fields.length} fields, expected 7`);
  const [, totalText, partText, sequence, channel, payload, fillText] = fields as [string, string, string, string, string, string, string];
  const total = Number(totalText);
  const part = Number(partText);
  if (!/^[1-9]$/.test(totalText)) return fail('bad-sentence', `field 1 (number of sentences) "${totalText}" must be 1–9`);
  if (!/^[1-9]$/.test(partText) || part > total) return fail('bad-sentence', `field 2 (sentence number) "${partText}" must be 1–${total}`);
  if (!/^[0-9]?$/.test(sequence)) return fail('bad-sentence', `field 3 (sequential message id) "${sequence}" must be empty or 0–9`);
  if (total > 1 && sequence === '') return fail('bad-sentence', 'a multi-sentence message needs a sequential message id (field 3)');
  if (!/^[A-Z0-9]?$/.test(channel)) return fail('bad-sentence', `field 4 (channel) "${channel}" must be A, B, 1, 2 or empty`);
  if (payload === '') return fail('bad-sentence', 'empty payload');
  if (!PAYLOAD.test(payload)) return fail('bad-sentence', 'the payload holds characters outside the AIS 6-bit alphabet');
  if (!/^[0-5]$/.test(fillText)) return fail('bad-sentence', `field 6 (fill bits) "${fillText}" must be 0–5`);
  const fill = Number(fillText);
  if (part < total && fill !== 0) return fail('bad-sentence', `fill bits ${fill} on sentence ${part} of ${total}: only the last sentence may have fill bits`);
  return {
    ok: true,
    sentence: { talker: address.slice(0, 2), own: address[4] === 'O', total, part, sequence, channel, payload, fill, ...(tag ? { tag } : {}) },
  };
}

function parseTagBlock(content: string): { ok: true; tag: TagBlock } | { ok: false; reason: RejectReason; detail: string } {
  const star = content.lastIndexOf('*');
  if (star === -1 || !HEX2.test(content.slice(star + 1)) || star !== content.length - 3)
    return fail('bad-checksum', `TAG block must end with * and two hex digits: "${content.slice(0, 60)}"`);
  const body = content.slice(0, star);
  const computed = nmeaChecksum(body);
  if (computed !== content.slice(star + 1).toUpperCase())
    return fail('bad-checksum', `TAG block checksum *${content.slice(star + 1)} does not match (*${computed})`);
  const tag: TagBlock = {};
  for (const field of body.split(',')) {
    const colon = field.indexOf(':');
    if (colon < 1) return fail('bad-sentence', `TAG block field "${field.slice(0, 40)}" is not code:value`);
    const code = field.slice(0, colon);
    const value = field.slice(colon + 1);
    if (code === 's') tag.source = value;
    else if (code === 'c') {
      // NMEA 4.0 says seconds; some receivers send milliseconds. Anything else is not a time we can use.
      if (/^\d{1,10}$/.test(value)) tag.time = Number(value) * 1000;
      else if (/^\d{13}$/.test(value)) tag.time = Number(value);
    } else if (code === 'g') {
      const match = /^(\d+)-(\d+)-(\d+)$/.exec(value);
      if (!match) return fail('bad-sentence', `TAG block group "${value}" is not part-total-id`);
      tag.group = { part: Number(match[1]), total: Number(match[2]), id: Number(match[3]) };
    }
    // Other codes (d destination, n line count, r relative time, t text, and vendors' own such as q or T) carry nothing Vigie uses.
  }
  return { ok: true, tag };
}

function fail(reason: RejectReason, detail: string): { ok: false; reason: RejectReason; detail: string } {
  return { ok: false, reason, detail };
}
