// Accounts, sign-in and shifts (issue 5). Accounts live in the `operators`
// table; every sign-in, refusal, shift opening and closing is a logged event;
// sessions are in memory (accounts/sessions.ts). Account rules (names,
// passwords, the first supervisor) are AccountErrors, sent as refusals.
import type { ShiftView } from '../../../../shared/contract';
import type { Role } from '../../../../shared/domain';
import type { Accounts } from '../../accounts/accounts';
import type { Sessions, SignInThrottle } from '../../accounts/sessions';
import type { ShiftRow, Shifts } from '../../accounts/shifts';
import { logEvent, type EventKind, type EventPayloads } from '../../log/eventCatalogue';
import { Refusal } from '../../refusal';
import { logNewAccounts } from '../../accounts/accountLog';
import { signedIn, type AppendToLog, type HandlersOf } from './common';
import { LOCAL_SEAT } from '../guard';

export interface AccountContext {
  accounts: Accounts;
  sessions: Sessions;
  shifts: Shifts;
  throttle: SignInThrottle;
  append: AppendToLog;
  /** Who is signed in where changed (the supervisor's list of seats). */
  onSeatsChanged: () => void;
}

const view = (shift: ShiftRow): ShiftView => ({ ...shift });

export function createAccountHandlers(context: AccountContext): HandlersOf<'setup.' | 'session.' | 'shift.' | 'user.'> {
  const { accounts, sessions, shifts, throttle, append, onSeatsChanged } = context;
  const record = <K extends EventKind>(kind: K, payload: EventPayloads[K], operator: string | null) =>
    append([{ ...logEvent(kind, 'core', payload), operator }]);
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

    'setup.createSupervisor': async ({ name, password }) => {
      await accounts.add(name, 'supervisor', password, null, { onlyIfNone: true });
      logNewAccounts(accounts, append);
      return { name };
    },

    'session.signIn': async ({ name, password }, _caller, from) => {
      if (from.seat === null) throw new Refusal('seat-unknown', {}, 'this seat has not asked to join the post');
      // Each wrong password for a name doubles the wait before its next answer; on the room address, per seat and per address too
      // (not at the post's own console, which every local user shares and a supervisor must always reach).
      const keys = from.seat === LOCAL_SEAT ? [name] : [name, `seat:${from.seat}`, `address:${from.address}`];
      const wait = Math.max(...keys.map((key) => throttle.delayFor(key)));
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      logNewAccounts(accounts, append);
      const checked = await accounts.check(name, password);
      if (!checked.account) {
        for (const key of keys) throttle.failed(key);
        record('session.failed', { name: name.slice(0, 64), reason: checked.reason }, null);
        // One answer for both: which names exist is not told.
        throw new Refusal('wrong-credentials', {}, 'wrong name or password');
      }
      throttle.succeeded(name);
      const { account } = checked;
      // A wall screen shows the shift the room works; it never opens one.
      if (account.role === 'display' && !shifts.current())
        throw new Refusal('display-without-shift', {}, 'the wall screen shows the open shift: an operator or supervisor must sign in first');
      const shift = shiftFor(account.name);
      const caller = sessions.create(account.name, account.role, shift.id, { seat: from.seat, address: from.address });
      record('session.signedIn', { name: account.name, shift: shift.id, ...(from.seat === LOCAL_SEAT ? {} : { seat: from.seat }) }, account.name);
      onSeatsChanged();
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
      onSeatsChanged();
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
      if (!open || open.id !== me.shift) throw new Refusal('shift-not-open', {}, 'your shift is no longer open');
      record('shift.closed', { shift: open.id, by: me.name, handover }, me.name);
      for (const ended of sessions.endShift(open.id)) record('session.signedOut', { name: ended.name }, ended.name);
      return view(shifts.get(open.id)!);
    },

    'user.list': () => ({ accounts: accounts.list() }),

    'user.add': async ({ name, role, password }, caller) => {
      const account = await accounts.add(name, role as Role, password, signedIn(caller).name);
      logNewAccounts(accounts, append);
      return account;
    },
  };
}
