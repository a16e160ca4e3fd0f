// Signing what a sensor sends, as a device whose site entry has a secret
// must (docs/feeds.md, "Authenticated sensors"): a counter n — the device's
// clock in microseconds, strictly increasing — and the first 128 bits of
// HMAC-SHA256(secret, "vigie-feed-mac-v1\n<protocol>\n<sensor>\n<n>\n" + the
// signed bytes), in hex. Written from the documentation, not from the core's
// verifier, so the two check each other.
import { createHmac } from 'node:crypto';

export type SignedProtocol = 'nmea' | 'cot' | 'json';

export function mac(secret: string, protocol: SignedProtocol, sensor: string, n: number, signed: string): string {
  return createHmac('sha256', secret).update(`vigie-feed-mac-v1\n${protocol}\n${sensor}\n${n}\n${signed}`, 'utf8').digest('hex').slice(0, 32);
}

/** A device's counter: its clock in µs, bumped by one when two messages fall in the same microsecond (or the clock stalls). */
export class MacCounter {
  private last = 0;
  constructor(private readonly nowMs: () => number = Date.now) {}
  next(): number {
    const candidate = Math.floor(this.nowMs() * 1000);
    this.last = candidate > this.last ? candidate : this.last + 1;
    return this.last;
  }
}

/** `\vn:<n>,vm:<mac>*hh\` in front of the sentence; the MAC covers `$…*hh` without the line ending. */
export function signNmea(sentence: string, sensor: string, secret: string, n: number): string {
  const ending = /\r?\n$/.exec(sentence)?.[0] ?? '';
  const bare = sentence.slice(0, sentence.length - ending.length);
  const tag = `vn:${n},vm:${mac(secret, 'nmea', sensor, n, bare)}`;
  let sum = 0;
  for (let i = 0; i < tag.length; i++) sum ^= tag.charCodeAt(i);
  return `\\${tag}*${sum.toString(16).toUpperCase().padStart(2, '0')}\\${bare}${ending}`;
}

/**
 * `<__vigie_auth n="…" mac="…"/>` as the first child of <detail>; the MAC
 * covers the event without that element, from the root element's `<` to the
 * last `>` (an XML declaration in front is not covered).
 */
export function signCot(event: string, sensor: string, secret: string, n: number): string {
  const at = event.indexOf('<detail>');
  if (at < 0) throw new Error('a signed CoT event needs a <detail> element');
  const start = event.search(/<[^?!]/);
  const covered = event.slice(start, event.lastIndexOf('>') + 1);
  const insertAt = at + '<detail>'.length;
  return `${event.slice(0, insertAt)}<__vigie_auth n="${n}" mac="${mac(secret, 'cot', sensor, n, covered)}"/>${event.slice(insertAt)}`;
}

/** The JSON line with "n" and "mac": the MAC covers the object with "n" and without "mac", keys sorted, no whitespace (RFC 8785). */
export function signJsonLine(line: string, sensor: string, secret: string, n: number): string {
  const value = JSON.parse(line) as Record<string, unknown>;
  const signed = { ...value, n };
  return `${JSON.stringify({ ...signed, mac: mac(secret, 'json', sensor, n, canonical(signed)) })}\n`;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
