// The contract's account, sign-in and shift requests, and evidence exports (issue 5). Accounts live
// in the `operators` table; every sign-in, refusal, shift opening and closing
// is a logged event; sessions are in memory (accounts/sessions.ts).
import type { RequestName, ShiftView } from '../../../shared/contract';
import type { Role } from '../../../shared/domain';
import { AccountError, type Accounts } from '../accounts/accounts';
import type { Caller, Sessions, SignInThrottle } from '../accounts/sessions';
import type { ShiftRow, Shifts } from '../accounts/shifts';
import type { Db } from '../db/database';
import { EvidenceError, buildEvidence } from '../evidence/evidence';
import type { LogWriter } from '../log/logWriter';
import { pictureEvent, type PictureEventKind, type PictureEventPayloads } from '../picture/pictureEvents';
import { RequestRefused, type Handlers } from './handlers';

export type AccountRequest = Extract<RequestName, `setup.${string}` | `session.${string}` | `shift.${string}` | `user.${string}` | `evidence.${string}`>;

export interface AccountContext {
  accounts: Accounts;
  sessions: Sessions;
  shifts: Shifts;
  throttle: SignInThrottle;
  writer: LogWriter;
  /** Read for evidence exports. */
  db: Db;
}

const view = (shift: ShiftRow): ShiftView => ({ ...shift });

/** Logs the creation of every account the core has not logged yet (made here, or by `vigie user add` in another process). */
export function logNewAccounts({ accounts, writer }: Pick<AccountContext, 'accounts' | 'writer'>): void {
  const fresh = accounts.unlogged();
  if (fresh.length === 0) return;
  // The operator column names an account: set when a signed-in supervisor made it, not for `vigie user add` or first run.
  writer.append(
    fresh.map((account) => ({
      ...pictureEvent('operator.created', 'core', { name: account.name, role: account.role, by: account.createdBy }),
      operator: account.createdBy !== null && accounts.find(account.createdBy) ? account.createdBy : null,
    })),
  );
  accounts.markLogged(fresh.map((account) => account.name));
}

export function createAccountHandlers(context: AccountContext): Pick<Handlers, AccountRequest> {
  const { accounts, sessions, shifts, throttle, writer } = context;
  const record = <K extends PictureEventKind>(kind: K, payload: PictureEventPayloads[K], operator: string | null) => writer.append([{ ...pictureEvent(kind, 'core', payload), operator }]);
  const refusing = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AccountError) throw new RequestRefused(error.message);
      throw error;
    }
  };
  const signedIn = (caller: Caller | null): Caller => {
    if (!caller) throw new RequestRefused('sign in first');
    return caller;
  };

  /** The open shift, or a new one opened by `name`. */
  const shiftFor = (name: string): ShiftRow => {
    const open = shifts.current();
    if (open) return open;
    const id = shifts.nextId();
    record('shift.opened', { shift: id, by: name }, name);
    return shifts.get(id)!;
  };

  return {
    'setup.status': () => ({ needsFirstSupervisor: accounts.count() === 0 }),

    'setup.createSupervisor': ({ name, password }) =>
      refusing(async () => {
        await accounts.add(name, 'supervisor', password, null, { onlyIfNone: true });
        logNewAccounts(context);
        return { name };
      }),

    'session.signIn': async ({ name, password }) => {
      // Each wrong password for a name doubles the wait before its next answer.
      const wait = throttle.delayFor(name);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      logNewAccounts(context);
      const checked = await accounts.check(name, password);
      if (!checked.account) {
        throttle.failed(name);
        record('session.failed', { name: name.slice(0, 64), reason: checked.reason }, null);
        // One answer for both: which names exist is not told.
        throw new RequestRefused('wrong name or password');
      }
      throttle.succeeded(name);
      const { account } = checked;
      const shift = shiftFor(account.name);
      const caller = sessions.create(account.name, account.role, shift.id);
      record('session.signedIn', { name: account.name, shift: shift.id }, account.name);
      return { session: caller.token, name: account.name, role: account.role, shift: view(shift) };
    },

    'session.current': (_params, caller) => {
      const me = signedIn(caller);
      return { name: me.name, role: me.role, shift: view(shifts.get(me.shift)!) };
    },

    'session.signOut': (_params, caller) => {
      const me = signedIn(caller);
      sessions.end(me.token);
      record('session.signedOut', { name: me.name }, me.name);
      return { signedOut: true };
    },

    'shift.current': () => {
      const open = shifts.current();
      return { shift: open ? view(open) : null };
    },

    'shift.list': ({ limit }) => ({ shifts: shifts.list(limit).map(view) }),

    'shift.close': ({ handover }, caller) => {
      const me = signedIn(caller);
      const open = shifts.current();
      if (!open || open.id !== me.shift) throw new RequestRefused('your shift is no longer open');
      record('shift.closed', { shift: open.id, by: me.name, handover }, me.name);
      for (const ended of sessions.endShift(open.id)) record('session.signedOut', { name: ended.name }, ended.name);
      return view(shifts.get(open.id)!);
    },

    'user.list': () => ({ accounts: accounts.list() }),

    'evidence.export': (scope) => {
      try {
        const evidence = buildEvidence(context.db, 'incident' in scope ? { kind: 'incident', id: scope.incident } : { kind: 'shift', id: scope.shift });
        const name = 'incident' in scope ? `incident-${scope.incident}` : `shift-${scope.shift}`;
        return { fileName: `vigie-evidence-${name}.json`, content: JSON.stringify(evidence) };
      } catch (error) {
        if (error instanceof EvidenceError) throw new RequestRefused(error.message);
        throw error;
      }
    },

    'user.add': ({ name, role, password }, caller) =>
      refusing(async () => {
        const account = await accounts.add(name, role as Role, password, signedIn(caller).name);
        logNewAccounts(context);
        return account;
      }),
  };
}
