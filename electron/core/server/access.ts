// Who may call what. The core enforces it on every request, whatever the
// screen shows: a console that is not signed in only reaches the sign-in
// methods, an auditor reads (picture, log, figures, replay, export) but never
// dispatches, and only a supervisor manages accounts.
import { errorBody, type ErrorBody, type RequestName } from '../../../shared/contract';
import type { Role } from '../../../shared/domain';
import type { Caller, Sessions } from '../accounts/sessions';
import type { RequestFrom } from './guard';

/** public: no sign-in; view: anyone signed in, the wall screen too; read: operators, supervisors, auditors; act: operators and supervisors; supervise: supervisors. */
export type Access = 'public' | 'view' | 'read' | 'act' | 'supervise';

const ROLES: Record<Exclude<Access, 'public'>, readonly Role[]> = {
  // The wall screen (issue 15) shows the live picture and nothing else: no log, no evidence, no figures, no replay.
  view: ['operator', 'supervisor', 'auditor', 'display'],
  read: ['operator', 'supervisor', 'auditor'],
  act: ['operator', 'supervisor'],
  supervise: ['supervisor'],
};

/** Every request names its access: a new request does not compile until it is decided here. */
export const ACCESS: Record<RequestName, Access> = {
  'core.hello': 'public',
  'setup.status': 'public',
  'setup.createSupervisor': 'public',
  'session.signIn': 'public',
  'session.current': 'view',
  'session.signOut': 'view',
  'shift.current': 'view',
  'shift.list': 'read',
  'shift.close': 'act',
  'user.list': 'supervise',
  'user.add': 'supervise',
  'evidence.export': 'read',
  'picture.get': 'view',
  'log.tail': 'read',
  'feeds.status': 'view',
  'feeds.listeners': 'public',
  'quarantine.list': 'read',
  'coverage.get': 'view',
  'dispatch.rank': 'read',
  'alert.mergeCandidates': 'read',
  'alert.acknowledge': 'act',
  'dispatch.assign': 'act',
  'dispatch.setStatus': 'act',
  'incident.addNote': 'act',
  'incident.close': 'act',
  'console.setMute': 'act',
  'maps.list': 'view',
  'maps.open': 'act',
  'maps.forget': 'act',
  'maps.choose': 'view',
  'figures.get': 'read',
  'figures.csv': 'read',
  'replay.timeline': 'read',
  'replay.at': 'read',
  'replay.verify': 'read',
  'replay.close': 'read',
  // Sector editor (issue 6): supervisors change the sectors; anyone signed in may export them.
  'sectors.update': 'supervise',
  'sectors.import': 'supervise',
  'sectors.export': 'read',
  // Keeping the log (issue 18): the backups' state is the supervisor's to watch.
  'backups.status': 'supervise',
  // The post's archives, read like the log (replay, figures).
  'archives.list': 'read',
  'archives.open': 'read',
  'post.identity': 'read',
  // The uplink's state (issue 16) is on every console's status bar, the wall screen's too.
  'uplink.status': 'view',
  // The centre's messages: read on every console; acknowledged by whoever acts at the post.
  'uplink.centreMessages': 'view',
  'uplink.acknowledgeMessage': 'act',
  // The neighbours' units and incidents (issue 16 item 4): read-only, on every console's map.
  'neighbours.get': 'view',
  // Field devices (issue 13): anyone signed in sees them; a supervisor registers or blocks one.
  'devices.list': 'read',
  'devices.register': 'supervise',
  'devices.block': 'supervise',
  'devices.unblock': 'supervise',
  'fieldPoints.list': 'read',
  'fieldPoints.attach': 'act',
  'chat.list': 'read',
  'chat.send': 'act',
  'chat.link': 'act',
  'chat.at': 'read',
  // The control room (issue 15): the room's front door (room/roomDoor.ts) lets a seat that is not admitted reach only these two.
  'seat.request': 'public',
  'seat.status': 'public',
  'seat.list': 'supervise',
  'seat.admit': 'supervise',
  'seat.revoke': 'supervise',
  'incident.transfer': 'act',
};

export type Authorization = { ok: true; caller: Caller | null } | { ok: false; error: ErrorBody };

/** The session's caller, if it was signed in at the seat and address the request comes from. */
export function callerAt(sessions: Sessions, token: string | undefined, from: RequestFrom): { caller?: Caller; elsewhere: boolean } {
  const caller = sessions.get(token);
  if (!caller) return { elsewhere: false };
  // A session token is bound to where it signed in: copied to another seat or machine it is worth nothing.
  if (caller.seat !== from.seat || caller.address !== from.address) return { elsewhere: true };
  return { caller, elsewhere: false };
}

export function authorize(
  sessions: Sessions,
  method: RequestName,
  token: string | undefined,
  from: RequestFrom,
  onDenied: (caller: Caller, method: RequestName) => void,
  onElsewhere: (from: RequestFrom, method: RequestName) => void = () => {},
): Authorization {
  const access = ACCESS[method];
  const { caller, elsewhere } = callerAt(sessions, token, from);
  if (elsewhere) onElsewhere(from, method);
  if (access === 'public') return { ok: true, caller: caller ?? null };
  if (elsewhere)
    return { ok: false, error: errorBody('unauthenticated', 'session-elsewhere', {}, 'this session was signed in at another seat or address: sign in here') };
  if (!caller) return { ok: false, error: errorBody('unauthenticated', 'sign-in-first', {}, 'sign in first') };
  if (!ROLES[access].includes(caller.role)) {
    onDenied(caller, method);
    return {
      ok: false,
      error: errorBody('forbidden', 'forbidden-for-role', { role: caller.role, method }, `${method} is not allowed for the ${caller.role} role`),
    };
  }
  return { ok: true, caller };
}
