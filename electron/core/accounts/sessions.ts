// Signed-in consoles, in memory: a random token per sign-in, sent with every
// request (WebSocket frame field `session`, HTTP header `x-vigie-session`).
// A core restart signs everyone out; their shift stays open (it is in the
// log) and the next sign-in joins it.
import crypto from 'node:crypto';
import type { Role } from '../../../shared/domain';

export interface Caller {
  name: string;
  role: Role;
  shift: number;
  token: string;
  /** The seat it signed in at (the post's own console is 'local') and the peer address: the session is valid only from there. */
  seat: string;
  address: string;
}

export class Sessions {
  private readonly byToken = new Map<string, Caller>();

  create(name: string, role: Role, shift: number, where: { seat: string; address: string }): Caller {
    const caller = { name, role, shift, token: crypto.randomBytes(32).toString('hex'), seat: where.seat, address: where.address };
    this.byToken.set(caller.token, caller);
    return caller;
  }

  get(token: string | undefined): Caller | undefined {
    return token === undefined ? undefined : this.byToken.get(token);
  }

  end(token: string): Caller | undefined {
    const caller = this.byToken.get(token);
    this.byToken.delete(token);
    return caller;
  }

  /** Who is signed in where (for the supervisor's list of seats). */
  all(): Caller[] {
    return [...this.byToken.values()];
  }

  /** Everyone signed in at a seat that was revoked. */
  endSeat(seat: string): Caller[] {
    const ended = [...this.byToken.values()].filter((caller) => caller.seat === seat);
    for (const caller of ended) this.byToken.delete(caller.token);
    return ended;
  }

  /** Everyone on a shift that was handed over must sign in again (to the next shift). */
  endShift(shift: number): Caller[] {
    const ended = [...this.byToken.values()].filter((caller) => caller.shift === shift);
    for (const caller of ended) this.byToken.delete(caller.token);
    return ended;
  }
}

/**
 * Wrong passwords are slowed down: each failure for a name doubles the wait
 * before the next answer for that name (0.5 s, 1 s, 2 s… up to 30 s), and a
 * success clears it. Kept per name as typed (lower case), in memory. For
 * seats on the room address the same is kept per seat and per address (keys
 * `seat:…`, `address:…`), so guessing many names from one machine is slowed
 * down too; a success clears only the name's count.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly baseMs = 500,
    private readonly maxMs = 30_000,
  ) {}

  /** How long to wait before checking this name's password. */
  delayFor(name: string, now = Date.now()): number {
    const entry = this.failures.get(name.toLowerCase());
    return entry ? Math.max(0, entry.until - now) : 0;
  }

  failed(name: string, now = Date.now()): void {
    const key = name.toLowerCase();
    const count = (this.failures.get(key)?.count ?? 0) + 1;
    this.failures.set(key, { count, until: now + Math.min(this.maxMs, this.baseMs * 2 ** (count - 1)) });
    // Bounded: an attacker typing random names cannot grow this without end.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(name: string): void {
    this.failures.delete(name.toLowerCase());
  }
}
