// Per-message authentication of sensor feeds (docs/feeds.md, "Authenticated
// sensors"): when the site file gives a sensor a secret, each message it
// sends carries a counter `n` and a MAC — HMAC-SHA256 keyed with the secret,
// cut to 128 bits — over the exact bytes it signs. Works the same over UDP,
// TCP and WebSocket, for CoT, NMEA and JSON lines; the counter (the sender's
// clock in microseconds) bounds replays to never, and stale messages to the
// freshness window.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonicalJson';
import type { FeedProtocol } from '../../../shared/domain';
import type { FrameAuth, RejectReason } from './feedMessage';

export const MAC_DOMAIN = 'vigie-feed-mac-v1';
/** Hex characters of a MAC: 128 bits. */
export const MAC_HEX_LENGTH = 32;
/** A signed message's time (n / 1000) may differ from the core's clock by this much. */
export const FRESHNESS_MS = 30_000;
/** Out-of-order arrival tolerated (UDP reorders): a counter this far below the highest seen is refused. */
export const REORDER_WINDOW_MS = 5_000;

/** The 32 hex digits of the MAC of one message. */
export function feedMac(secret: string, protocol: FeedProtocol, sensor: string, n: number, payload: Buffer | string): string {
  return createHmac('sha256', secret).update(`${MAC_DOMAIN}\n${protocol}\n${sensor}\n${n}\n`).update(payload).digest('hex').slice(0, MAC_HEX_LENGTH);
}

const COUNTER = /^(0|[1-9]\d{0,15})$/;
const MAC = /^[0-9a-f]{32}$/;

function counter(text: string): number | undefined {
  if (!COUNTER.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

// ---- NMEA: a TAG block before the sentence -------------------------------

/** `\vn:<n>,vm:<mac>*hh\` — a NMEA 4 TAG block with Vigie's two codes (the standard's are one letter). */
const NMEA_TAG = /^\\([^\\*]*)\*([0-9A-Fa-f]{2})\\/;

/**
 * Splits a Vigie TAG block off an NMEA line. No block: the line as it is and
 * no auth. A block that is not exactly Vigie's: auth refused with a reason.
 */
export function splitNmeaAuth(line: string): { sentence: string; auth?: FrameAuth } {
  const text = line.trim();
  if (!text.startsWith('\\')) return { sentence: line };
  const match = NMEA_TAG.exec(text);
  if (!match) return { sentence: line, auth: { ok: false, detail: 'a TAG block that does not end with *hh\\' } };
  const sentence = text.slice(match[0].length);
  const body = match[1]!;
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i) & 0xff;
  if (sum !== parseInt(match[2]!, 16)) return { sentence, auth: { ok: false, detail: 'TAG block checksum mismatch' } };
  const fields = new Map<string, string>();
  for (const part of body.split(',')) {
    const colon = part.indexOf(':');
    if (colon <= 0 || fields.has(part.slice(0, colon)))
      return { sentence, auth: { ok: false, detail: `TAG block field ${JSON.stringify(part.slice(0, 40))}` } };
    fields.set(part.slice(0, colon), part.slice(colon + 1));
  }
  const n = counter(fields.get('vn') ?? '');
  const mac = fields.get('vm') ?? '';
  if (fields.size !== 2 || n === undefined || !MAC.test(mac))
    return { sentence, auth: { ok: false, detail: 'the TAG block must be exactly vn:<counter>,vm:<32 hex digits>' } };
  return { sentence, auth: { ok: true, protocol: 'nmea', n, mac, payload: sentence } };
}

// ---- CoT: one <__vigie_auth n="…" mac="…"/> in <detail> --------------------

const COT_AUTH = /<__vigie_auth n="(\d{1,16})" mac="([0-9a-f]{32})"\/>/g;
const COT_AUTH_LOOSE = /<__vigie_auth\b/g;

/**
 * The auth element of a CoT event, and the event without it (the exact bytes
 * the MAC covers: the element is cut out, nothing else changes). The XML
 * parser reads the element as an unknown <detail> child and ignores it.
 */
export function cotAuth(event: Buffer): FrameAuth | undefined {
  // Unsigned events (the usual case) cost one byte search, no copy.
  if (event.indexOf('<__vigie_auth') < 0) return undefined;
  // Only ASCII matters for the search; latin1 keeps byte offsets equal to string offsets.
  const text = event.toString('latin1');
  const loose = text.match(COT_AUTH_LOOSE)?.length ?? 0;
  if (loose === 0) return undefined;
  const exact = [...text.matchAll(COT_AUTH)];
  if (loose !== 1 || exact.length !== 1) return { ok: false, detail: 'one <__vigie_auth n="<counter>" mac="<32 hex digits>"/> exactly, written as such' };
  const match = exact[0]!;
  const n = counter(match[1]!);
  if (n === undefined) return { ok: false, detail: 'the counter is not a whole number' };
  const at = match.index;
  const without = Buffer.concat([event.subarray(0, at), event.subarray(at + match[0].length)]);
  // Covered: the root element, from its '<' to the last '>' — not an XML declaration, comment or whitespace around it (a stream drops those).
  const rest = without.toString('latin1');
  const start = rest.search(/<[^?!]/);
  const end = rest.lastIndexOf('>');
  if (start < 0 || end < start) return { ok: false, detail: 'no element to sign' };
  return { ok: true, protocol: 'cot', n, mac: match[2]!, payload: without.subarray(start, end + 1) };
}

// ---- JSON lines: "n" and "mac" members -------------------------------------

/**
 * A JSON line's auth: `n` is signed with the rest, `mac` covers the RFC 8785
 * canonical form (keys sorted, no whitespace, numbers as JavaScript writes
 * them) of the object without `mac`. Takes the object as JSON.parse gave it,
 * before any schema default is applied.
 */
export function jsonAuth(value: Record<string, unknown>): FrameAuth | undefined {
  if (!('mac' in value) && !('n' in value)) return undefined;
  const { mac, ...signed } = value;
  const n = signed.n;
  if (typeof mac !== 'string' || !MAC.test(mac) || typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    return { ok: false, detail: '"n" must be a whole number and "mac" 32 hex digits, both present' };
  }
  return { ok: true, protocol: 'json', n, mac, payload: canonicalJson(signed) };
}

// ---- The check --------------------------------------------------------------

export type AuthRefusal = { reason: RejectReason; detail: string };

/** Verifies MACs and keeps each sensor's counters so that no signed message is accepted twice. */
export class FeedAuthenticator {
  private readonly counters = new Map<string, { highest: number; recent: Set<number>; sincePrune: number }>();

  constructor(
    private readonly secrets: ReadonlyMap<string, string>,
    /** When this core started (ms): messages signed before it are refused, so a restart does not reopen replays. */
    private readonly startedAt: number,
  ) {}

  requires(sensor: string): boolean {
    return this.secrets.has(sensor);
  }

  /** undefined: authentic, fresh and new (its counter is now used up); otherwise why not. */
  check(sensor: string, auth: FrameAuth | undefined, receivedAt: number): AuthRefusal | undefined {
    const secret = this.secrets.get(sensor);
    if (secret === undefined) return undefined;
    if (!auth)
      return {
        reason: 'bad-secret',
        detail: `${sensor} has a secret: its messages must be signed (n and MAC, see docs/feeds.md) or, on the JSON feed, follow a hello with the secret`,
      };
    if (!auth.ok) return { reason: 'bad-signature', detail: `${sensor}: ${auth.detail}` };
    const expected = Buffer.from(feedMac(secret, auth.protocol, sensor, auth.n, auth.payload), 'latin1');
    if (!timingSafeEqual(expected, Buffer.from(auth.mac, 'latin1')))
      return { reason: 'bad-signature', detail: `${sensor}: the MAC does not match (wrong secret, or the message was altered)` };
    const signedAt = Math.floor(auth.n / 1000);
    const skew = signedAt - receivedAt;
    if (Math.abs(skew) > FRESHNESS_MS)
      return {
        reason: 'stale',
        detail: `${sensor}: signed ${Math.round(Math.abs(skew) / 1000)} s ${skew < 0 ? 'before' : 'after'} the core's clock (window ±${FRESHNESS_MS / 1000} s)`,
      };
    if (signedAt < this.startedAt) return { reason: 'replayed', detail: `${sensor}: signed before this core started` };
    let state = this.counters.get(sensor);
    if (!state) this.counters.set(sensor, (state = { highest: -1, recent: new Set(), sincePrune: 0 }));
    const floor = state.highest - REORDER_WINDOW_MS * 1000;
    if (auth.n <= floor)
      return { reason: 'replayed', detail: `${sensor}: counter ${auth.n} is more than ${REORDER_WINDOW_MS / 1000} s behind the highest seen` };
    if (state.recent.has(auth.n)) return { reason: 'replayed', detail: `${sensor}: counter ${auth.n} already used` };
    state.recent.add(auth.n);
    if (auth.n > state.highest) state.highest = auth.n;
    // Forget counters that fell below the window (they are refused by the floor now).
    if (++state.sincePrune >= 1024) {
      state.sincePrune = 0;
      const below = state.highest - REORDER_WINDOW_MS * 1000;
      for (const n of state.recent) if (n <= below) state.recent.delete(n);
    }
    return undefined;
  }
}
