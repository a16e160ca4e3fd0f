// Operator accounts in the `operators` table. Written by the core (first
// supervisor, accounts made in the console) and by `vigie user add` from
// another process: that is why the log entry (operator.created) is not
// written here but by the core, which appends every account it has not
// logged yet (`unlogged()` / `markLogged()`) — only the core ever appends to
// the log.
import type { Role } from '../../../shared/domain';
import type { Db } from '../db/database';
import type { RefusalReason } from '../../../shared/contract';
import { Refusal } from '../refusal';
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from './passwords';

/** Letters, digits, dot, dash, underscore; 2–32 characters (names go into every logged action). */
export const NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]{1,31}$/u;

/** An account refused (bad name, weak password, name taken, first account already made). */
export class AccountError<R extends RefusalReason = RefusalReason> extends Refusal<R> {
  override name = 'AccountError';
}

export interface Account {
  name: string;
  role: Role;
  createdAt: number;
  createdBy: string | null;
}

interface Row {
  name: string;
  role: Role;
  password: string;
  created_at: number;
  created_by: string | null;
}

export class Accounts {
  constructor(private readonly db: Db) {}

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM operators').get() as { n: number }).n;
  }

  list(): Account[] {
    return (this.db.prepare('SELECT name, role, created_at, created_by FROM operators ORDER BY name').all() as Row[]).map(toAccount);
  }

  find(name: string): Account | undefined {
    const row = this.db.prepare('SELECT * FROM operators WHERE name = ?').get(name) as Row | undefined;
    return row ? toAccount(row) : undefined;
  }

  /**
   * Creates an account. `onlyIfNone`: the first supervisor at first run —
   * refused once any account exists (checked in the same transaction as the insert).
   */
  async add(name: string, role: Role, password: string, createdBy: string | null, { onlyIfNone = false } = {}): Promise<Account> {
    if (!NAME_PATTERN.test(name))
      throw new AccountError('account-name-invalid', {}, 'a name is 2–32 letters, digits, dots, dashes or underscores, starting with a letter or digit');
    const problem = passwordProblem(password);
    if (problem) throw new AccountError(problem.reason, problem.params, problem.message);
    const hash = await hashPassword(password);
    const createdAt = Date.now();
    this.db
      .transaction(() => {
        if (onlyIfNone && this.count() > 0) throw new AccountError('first-account-exists', {}, 'the first account already exists: sign in');
        if (this.find(name)) throw new AccountError('account-exists', { name }, `an account named ${name} already exists`);
        this.db
          .prepare('INSERT INTO operators (name, role, password, created_at, created_by) VALUES (?, ?, ?, ?, ?)')
          .run(name, role, hash, createdAt, createdBy);
      })
      .immediate();
    return { name, role, createdAt, createdBy };
  }

  /** The account when the password is right; null for an unknown name or a wrong password (which one is returned as `reason`). */
  async check(name: string, password: string): Promise<{ account: Account } | { account: null; reason: 'unknown-name' | 'wrong-password' }> {
    const row = this.db.prepare('SELECT * FROM operators WHERE name = ?').get(name) as Row | undefined;
    if (!row) {
      // The same work as a real check, so the answer's timing does not tell which names exist.
      await verifyPassword(password, DUMMY_HASH);
      return { account: null, reason: 'unknown-name' };
    }
    if (!(await verifyPassword(password, row.password))) return { account: null, reason: 'wrong-password' };
    if (needsRehash(row.password)) {
      // Made at an older cost: the password is known right now, so re-hash it at today's.
      const upgraded = await hashPassword(password);
      // Unless it changed meanwhile (another sign-in upgraded it first).
      this.db.prepare('UPDATE operators SET password = ? WHERE name = ? AND password = ?').run(upgraded, row.name, row.password);
    }
    return { account: toAccount(row) };
  }

  /** Accounts whose creation is not in the log yet. */
  unlogged(): Account[] {
    return (this.db.prepare('SELECT name, role, created_at, created_by FROM operators WHERE logged = 0 ORDER BY created_at, name').all() as Row[]).map(
      toAccount,
    );
  }

  markLogged(names: string[]): void {
    const mark = this.db.prepare('UPDATE operators SET logged = 1 WHERE name = ?');
    this.db.transaction(() => names.forEach((name) => mark.run(name)))();
  }
}

/** A valid hash of a random password, at today's cost: unknown names cost the same as known ones. */
const DUMMY_HASH = 'scrypt$17$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

function toAccount(row: Row): Account {
  return { name: row.name, role: row.role, createdAt: row.created_at, createdBy: row.created_by };
}
