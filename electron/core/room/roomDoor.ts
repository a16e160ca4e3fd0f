// The front door of the room address (issue 15; docs/room.md, security.md).
// Only HTTPS to the exact address the post announced (Host and Origin), and
// no operational data before a supervisor admits the seat: without a seat
// token the API answers 401 to everything but `seat.request`; a pending seat
// reaches only its own status; a revoked or unknown one, nothing.
import net from 'node:net';
import type { RefusalReason as AnswerReason } from '../../../shared/contract';
import { contentSecurityPolicy, type DoorAnswer, type FrontDoor } from '../server/guard';
import type { Seats } from './seats';

/** What a seat may ask before it is admitted: its own state, and the core's version (to say "incompatible" rather than fail). */
const BEFORE_ADMISSION = new Set(['seat.status', 'core.hello']);

export function roomDoor(seats: Seats, host: string): FrontDoor {
  const hostPart = net.isIPv6(host) ? `[${host}]` : host;
  const credential = (token: string | undefined): DoorAnswer => {
    const seat = seats.byToken(token);
    if (!seat) return refused(401, 'seat-unknown', {}, 'this seat has not asked to join the post (or its token is wrong)');
    if (seat.state === 'revoked') return refused(401, 'seat-revoked', {}, 'this seat was revoked by a supervisor: ask to join again');
    return seat.state === 'admitted'
      ? { ok: true, seat: seat.id }
      : refused(403, 'seat-not-admitted', { code: seat.code }, `a supervisor must admit this seat (code ${seat.code})`);
  };
  return {
    scheme: 'https',
    hostAllowed: (given, port) => given === `${hostPart}:${port}`,
    originAllowed: (origin, port) => origin === undefined || origin === `https://${hostPart}:${port}`,
    contentSecurityPolicy: (port) => contentSecurityPolicy(port, `wss://${hostPart}:${port}`),
    admitRequest(token, method) {
      // The one request a stranger may make: asking to join (rate-limited in seats.ts).
      if (method === 'seat.request') return { ok: true, seat: null };
      const answer = credential(token);
      if (!answer.ok && answer.reason === 'seat-not-admitted' && BEFORE_ADMISSION.has(method)) {
        const seat = seats.byToken(token)!;
        return { ok: true, seat: seat.id };
      }
      return answer;
    },
    // The console's socket (pushed events) only for an admitted seat.
    admitSocket: credential,
  };
}

function refused(status: 401 | 403, reason: AnswerReason, params: Record<string, string | number>, message: string): DoorAnswer {
  return { ok: false, status, reason, params, message, refusal: 'seat' };
}
