// Seats of the control room (issue 15; docs/room.md). A browser or desktop
// app that opens the post's room address asks to join: it gets a random
// token it keeps (the post stores only its SHA-256) and a short code it
// shows. A supervisor admits that code once; from then on the token is the
// seat's credential, in place of the loopback console's per-launch secret.
// A revoked seat stays revoked: it must ask again, with a new code.
import crypto from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import type { SeatState } from '../../../shared/contract';
import type { Db } from '../db/database';
import { Refusal } from '../refusal';

export interface SeatRecord {
  id: string;
  code: string;
  state: SeatState;
  address: string;
  label: string;
  requestedAt: number;
  admittedAt: number | null;
  admittedBy: string | null;
  revokedAt: number | null;
  revokedBy: string | null;
}

/** Pending seats one address may hold at once, and all addresses together: asking cannot fill the table. */
export const MAX_PENDING_PER_ADDRESS = 5;
export const MAX_PENDING = 200;

// No 0/O or 1/I: the code is read aloud and typed.
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

interface Row {
  id: string;
  code: string;
  state: SeatState;
  address: string;
  label: string;
  requested_at: number;
  admitted_at: number | null;
  admitted_by: string | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

const toRecord = (row: Row): SeatRecord => ({
  id: row.id,
  code: row.code,
  state: row.state,
  address: row.address,
  label: row.label,
  requestedAt: row.requested_at,
  admittedAt: row.admitted_at,
  admittedBy: row.admitted_by,
  revokedAt: row.revoked_at,
  revokedBy: row.revoked_by,
});

const sha256 = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

function newCode(): string {
  const bytes = crypto.randomBytes(6);
  const chars = [...bytes].map((byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]);
  return `${chars.slice(0, 3).join('')}-${chars.slice(3).join('')}`;
}

export class Seats {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** A new pending seat and the token only the seat will hold. */
  request(address: string, label: string): { seat: SeatRecord; token: string } {
    const pending = this.db.prepare("SELECT count(*) AS n, sum(address = ?) AS here FROM seats WHERE state = 'pending'").get(address) as {
      n: number;
      here: number | null;
    };
    if ((pending.here ?? 0) >= MAX_PENDING_PER_ADDRESS || pending.n >= MAX_PENDING)
      throw new Refusal(
        'seat-requests-exhausted',
        { max: MAX_PENDING_PER_ADDRESS },
        `too many seats wait for admission (at most ${MAX_PENDING_PER_ADDRESS} per address): ask a supervisor to admit or revoke them`,
      );
    const token = crypto.randomBytes(32).toString('hex');
    for (;;) {
      const code = newCode();
      if (this.db.prepare('SELECT 1 FROM seats WHERE code = ?').get(code)) continue;
      const id = `S${crypto.randomBytes(6).toString('hex')}`;
      this.db
        .prepare('INSERT INTO seats (id, code, token_sha256, state, address, label, requested_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(id, code, sha256(token), 'pending', address, label, this.clock.now());
      return { seat: this.get(id)!, token };
    }
  }

  get(id: string): SeatRecord | undefined {
    const row = this.db.prepare('SELECT * FROM seats WHERE id = ?').get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The seat holding this token, whatever its state. */
  byToken(token: string | undefined): SeatRecord | undefined {
    if (token === undefined || !/^[0-9a-f]{64}$/.test(token)) return undefined;
    const row = this.db.prepare('SELECT * FROM seats WHERE token_sha256 = ?').get(sha256(token)) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** Admits the pending seat showing `code`. Admitting one already admitted answers it as it is (two supervisors, one code). */
  admit(code: string, by: string): { seat: SeatRecord; changed: boolean } {
    const row = this.db.prepare("SELECT * FROM seats WHERE code = ? AND state != 'revoked'").get(code) as Row | undefined;
    if (!row) throw new Refusal('seat-code-unknown', { code }, `no seat waits with the code ${code}`);
    if (row.state === 'admitted') return { seat: toRecord(row), changed: false };
    this.db.prepare("UPDATE seats SET state = 'admitted', admitted_at = ?, admitted_by = ? WHERE id = ?").run(this.clock.now(), by, row.id);
    return { seat: this.get(row.id)!, changed: true };
  }

  revoke(id: string, by: string): { seat: SeatRecord; changed: boolean } {
    const seat = this.get(id);
    if (!seat) throw new Refusal('seat-unknown', {}, `no seat ${JSON.stringify(id)}`);
    if (seat.state === 'revoked') return { seat, changed: false };
    this.db.prepare("UPDATE seats SET state = 'revoked', revoked_at = ?, revoked_by = ? WHERE id = ?").run(this.clock.now(), by, id);
    return { seat: this.get(id)!, changed: true };
  }

  /** Newest first. */
  list(): SeatRecord[] {
    return (this.db.prepare('SELECT * FROM seats ORDER BY requested_at DESC, id').all() as Row[]).map(toRecord);
  }
}
