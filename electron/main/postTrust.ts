// Whether the desktop app trusts the post it joins (issue 15; docs/room.md#the-desktop-app-as-a-seat).
// The post's certificate is self-signed, so no authority vouches for it: the
// seat pins its SHA-256 on first use (or the fingerprint given with
// --fingerprint) and from then on accepts that certificate only, for that
// HOST:PORT. A changed certificate is refused, never re-pinned silently.
// Plain Node (no electron import): decisions and the pins file are unit-tested.
import { createHash, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FINGERPRINT, type PostPin } from '../../shared/desktopSettings';

export const PINS_FILE = 'post-pins.json';

export type TrustDecision =
  /** The pinned certificate: connect. */
  | { verdict: 'trusted'; fingerprint: string }
  /** No pin yet, and the fingerprint the operator gave matches: pin it and connect. */
  | { verdict: 'pin'; fingerprint: string }
  /** No pin and nothing to compare with: ask the operator to compare it with the post's `Vigie room:` line, then pin. */
  | { verdict: 'ask'; fingerprint: string }
  /** The post shows another certificate than the pinned one. */
  | { verdict: 'changed'; pinned: string; presented: string }
  /** No pin, and the post's certificate is not the one the operator said to expect. */
  | { verdict: 'unexpected'; expected: string; presented: string };

/**
 * What to do with the certificate a post at `address` presents. A pin wins
 * over --fingerprint: re-pinning is a deliberate act (forget the pin first),
 * so a command line left over from before a renewal cannot do it by accident.
 */
export function decideTrust(pins: readonly PostPin[], address: string, presented: string, expected?: string | null): TrustDecision {
  const pinned = pins.find((pin) => pin.address === address);
  if (pinned)
    return pinned.fingerprint === presented ? { verdict: 'trusted', fingerprint: presented } : { verdict: 'changed', pinned: pinned.fingerprint, presented };
  if (expected) return expected === presented ? { verdict: 'pin', fingerprint: presented } : { verdict: 'unexpected', expected, presented };
  return { verdict: 'ask', fingerprint: presented };
}

/** The pins with `address` pinned to `fingerprint` (replacing its old pin, if any). */
export function withPin(pins: readonly PostPin[], address: string, fingerprint: string, now: Date): PostPin[] {
  return [...pins.filter((pin) => pin.address !== address), { address, fingerprint, pinnedAt: now.toISOString() }];
}

export function withoutPin(pins: readonly PostPin[], address: string): PostPin[] {
  return pins.filter((pin) => pin.address !== address);
}

/** SHA-256 of a certificate's DER bytes, as `vigie serve` prints it (AA:BB:…). */
export function fingerprintOfDer(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

/** The same from PEM (Electron hands certificates to the verify proc as PEM); null if it is not one certificate. */
export function fingerprintOfPem(pem: string): string | null {
  try {
    return fingerprintOfDer(new X509Certificate(pem).raw);
  } catch {
    return null;
  }
}

/**
 * Whether Chromium may use the certificate it was shown for `hostname`: only
 * the pinned one, only for the post's host. The verify proc sees no port; the
 * session's request filter lets no other host:port through at all.
 */
export function acceptCertificate(pin: { host: string; fingerprint: string }, hostname: string, pem: string): boolean {
  const bare = (host: string) => host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare(hostname) === bare(pin.host) && fingerprintOfPem(pem) === pin.fingerprint;
}

/** post-pins.json: a missing file is no pins; a damaged one is an error (never overwritten: it is what protects the seat). */
export async function readPins(file: string): Promise<PostPin[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const problem = `${file} is damaged: fix or delete it (every post is then asked about again)`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(problem);
  }
  const pins = (value as { pins?: unknown } | null)?.pins;
  if (!Array.isArray(pins)) throw new Error(problem);
  for (const pin of pins as Partial<PostPin>[]) {
    if (typeof pin?.address !== 'string' || typeof pin.fingerprint !== 'string' || !FINGERPRINT.test(pin.fingerprint) || typeof pin.pinnedAt !== 'string')
      throw new Error(problem);
  }
  return (pins as PostPin[]).map(({ address, fingerprint, pinnedAt }) => ({ address, fingerprint, pinnedAt }));
}

/** Written beside and renamed: a crash leaves the old pins or the new ones, never half a file. */
export async function writePins(file: string, pins: readonly PostPin[]): Promise<void> {
  await writeJsonAtomically(file, { pins });
}

export async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  // userData may not exist yet on a first start (Chromium makes its profile there later).
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}
