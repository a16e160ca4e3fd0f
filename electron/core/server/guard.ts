// The core's front door: the per-launch secret, and Host / Origin checks that
// stop a web page in another tab (DNS rebinding, cross-site requests) from
// reaching a core listening on loopback.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RefusalReason as AnswerReason } from '../../../shared/contract';
import type { EventPayloads } from '../log/eventCatalogue';

export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

export function secretMatches(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The origins a console page of this core can have. */
export function allowedOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** A request with no Origin (command-line tools) passes; a foreign one never does. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === undefined || allowedOrigins(port).has(origin);
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([0-9a-f]+)$/i.exec(header ?? '');
  return match?.[1];
}

/** The browser WebSocket API cannot set headers; the secret rides as a subprotocol. */
export function tokenFromSubprotocols(header: string | undefined, prefix: string): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const value = part.trim();
    if (value.startsWith(prefix)) return value.slice(prefix.length);
  }
  return undefined;
}

export function contentSecurityPolicy(port: number, socketOrigins = `ws://127.0.0.1:${port} ws://localhost:${port}`): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "media-src 'self'",
    `connect-src 'self' ${socketOrigins}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Where a request comes from: the seat it was let in as (LOCAL_SEAT for the post's own console; null for a seat still asking to join) and the peer's address. */
export interface RequestFrom {
  seat: string | null;
  address: string;
}

/** The front door's answer to a credential: which seat it lets in, or why not (an HTTP status, the contract's refusal, the security log's reason). */
export type DoorAnswer =
  | { ok: true; seat: string | null }
  | { ok: false; status: 401 | 403; reason: AnswerReason; params: Record<string, string | number>; message: string; refusal: RefusalReason };

/**
 * Who may come in at one address of the core. The loopback console knows
 * the per-launch secret (loopbackDoor); seats on the room address hold an
 * admitted seat token (room/roomDoor.ts). Host and Origin rules and the
 * page's Content-Security-Policy depend on the address too.
 */
export interface FrontDoor {
  scheme: 'http' | 'https';
  hostAllowed(host: string | undefined, port: number): boolean;
  originAllowed(origin: string | undefined, port: number): boolean;
  contentSecurityPolicy(port: number): string;
  /** An API call over HTTP, with its bearer credential. */
  admitRequest(credential: string | undefined, method: string): DoorAnswer;
  /** A console's WebSocket, with the credential it offered as a subprotocol. */
  admitSocket(credential: string | undefined): DoorAnswer;
}

export const LOCAL_SEAT = 'local';

/** The post's own console on loopback: whoever holds the per-launch secret. */
export function loopbackDoor(secret: string): FrontDoor {
  const admit = (credential: string | undefined): DoorAnswer =>
    secretMatches(credential, secret)
      ? { ok: true, seat: LOCAL_SEAT }
      : { ok: false, status: 401, reason: 'wrong-secret', params: {}, message: 'missing or wrong secret', refusal: 'secret' };
  return {
    scheme: 'http',
    hostAllowed,
    originAllowed,
    contentSecurityPolicy: (port) => contentSecurityPolicy(port),
    admitRequest: admit,
    admitSocket: admit,
  };
}

/** Why the front door turned something away; each is counted and logged as `security.refused` (the reasons are described in the event catalogue). */
export type RefusalReason = EventPayloads['security.refused']['reason'];

/** What the log keeps about the first refusal of a period; every string attacker-controlled, so cut short. */
export type RefusalSample = Omit<SecurityRefusedPayload, 'reason' | 'n'>;

/** The `security.refused` payload: the reason, refusals of it since its last event (the first of a period is logged at once with n = 1), a sample. */
export type SecurityRefusedPayload = EventPayloads['security.refused'];

const SAMPLE_CHARS = 120;

/**
 * Turns refusals into evidence without letting an attacker flood the log:
 * the first refusal of a reason is logged at once (with who and what), the
 * rest of that reason are counted and logged as one event per reason and
 * period. At most (reasons × 2) events a period, whatever the attack's
 * volume; the counts add up to every refusal made. The secret a client
 * offered is never recorded.
 */
export class RefusalRecorder {
  private readonly pending = new Map<RefusalReason, { n: number; sample: RefusalSample }>();
  /** Reasons already logged in the current period. */
  private readonly opened = new Set<RefusalReason>();
  private timer: NodeJS.Timeout | undefined;
  private readonly totals = new Map<RefusalReason, number>();

  constructor(
    private readonly append: (payload: SecurityRefusedPayload) => void,
    private readonly warn: (line: string) => void,
    private readonly periodMs = 10_000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.flush(), this.periodMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }

  /** Refusals counted since start, per reason (logged or about to be). */
  counts(): Record<string, number> {
    return Object.fromEntries(this.totals);
  }

  record(reason: RefusalReason, sample: RefusalSample = {}): void {
    this.totals.set(reason, (this.totals.get(reason) ?? 0) + 1);
    const cut = trimSample(sample);
    if (!this.opened.has(reason)) {
      this.opened.add(reason);
      this.warn(`refused (${reason})${describeSample(cut)}; further refusals of this kind are counted for ${Math.round(this.periodMs / 1000)} s`);
      this.emit({ reason, n: 1, ...cut });
      return;
    }
    const entry = this.pending.get(reason);
    if (entry) entry.n += 1;
    else this.pending.set(reason, { n: 1, sample: cut });
  }

  /** Logs what was counted since the last period; a reason quiet for a whole period is logged at once again next time. */
  flush(): void {
    const quiet = [...this.opened].filter((reason) => !this.pending.has(reason));
    for (const [reason, { n, sample }] of this.pending) {
      this.warn(`refused ${n} more (${reason}) in the last ${Math.round(this.periodMs / 1000)} s${describeSample(sample)}`);
      this.emit({ reason, n, ...sample });
    }
    this.pending.clear();
    for (const reason of quiet) this.opened.delete(reason);
  }

  private emit(payload: SecurityRefusedPayload): void {
    try {
      this.append(payload);
    } catch (error) {
      // The log refusing a write (disk full) must not turn a refusal into a crash.
      this.warn(`could not log a refusal: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function trimSample(sample: RefusalSample): RefusalSample {
  const out: RefusalSample = {};
  for (const key of ['detail', 'host', 'origin', 'path', 'remote'] as const) {
    const value = sample[key];
    // eslint-disable-next-line no-control-regex
    if (value !== undefined) out[key] = value.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, SAMPLE_CHARS);
  }
  return out;
}

function describeSample(sample: RefusalSample): string {
  const parts = Object.entries(sample).map(([key, value]) => `${key} ${JSON.stringify(value)}`);
  return parts.length > 0 ? `: ${parts.join(', ')}` : '';
}
