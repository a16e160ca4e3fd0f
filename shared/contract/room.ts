// The control room (issue 15; docs/room.md): seats that join a post over its
// TLS room address, admitted once by a supervisor, and who is signed in where.
import { z } from 'zod';
import { Role } from '../domain';

/** A seat's short code, shown on the seat and typed by the supervisor who admits it (e.g. "K7P-3QX"). */
export const SeatCode = z.string().regex(/^[0-9A-Z]{3}-[0-9A-Z]{3}$/);

export const SeatState = z.enum(['pending', 'admitted', 'revoked']);
export type SeatState = z.infer<typeof SeatState>;

export const SeatView = z.object({
  id: z.string(),
  code: SeatCode,
  state: SeatState,
  /** The address the seat asked from (a seat is bound to it). */
  address: z.string(),
  /** What the seat said it is (browser or desktop), cut short. */
  label: z.string(),
  requestedAt: z.number().int(),
  admittedAt: z.number().int().nullable(),
  admittedBy: z.string().nullable(),
  revokedAt: z.number().int().nullable(),
  revokedBy: z.string().nullable(),
  /** Who is signed in at this seat now. */
  signedIn: z.array(z.object({ name: z.string(), role: Role })),
});
export type SeatView = z.infer<typeof SeatView>;

export const roomRequests = {
  /** A new seat asks to join (room address only, no credential): it gets its token, kept by the seat, and the code it shows. */
  'seat.request': {
    params: z.object({ label: z.string().max(120).default('') }).strict(),
    result: z.object({ seat: z.string(), token: z.string(), code: SeatCode }),
  },
  /** This seat's state (pending until a supervisor admits its code). The loopback console is the post's own seat, always admitted. */
  'seat.status': { params: z.object({}).strict(), result: z.object({ seat: z.string(), code: SeatCode.nullable(), state: SeatState }) },
  /** Every seat that asked, newest first, with who is signed in at each. */
  'seat.list': { params: z.object({}).strict(), result: z.object({ seats: z.array(SeatView) }) },
  /** A supervisor admits the seat showing this code (logged). */
  'seat.admit': { params: z.object({ code: z.string().trim().toUpperCase().pipe(SeatCode) }).strict(), result: SeatView },
  /** A supervisor revokes a seat (logged): its sessions end and its connection closes. */
  'seat.revoke': { params: z.object({ seat: z.string().min(1).max(64) }).strict(), result: SeatView },
} as const;

export const roomEvents = {
  /** A seat asked, was admitted or revoked, or someone signed in or out somewhere: supervisors ask seat.list again. */
  'seats.changed': z.object({}),
} as const;
