// Who may call what. The core enforces it on every request, whatever the
// screen shows: a console that is not signed in only reaches the sign-in
// methods, an auditor reads (picture, log, figures, replay, export) but never
// dispatches, and only a supervisor manages accounts.
import { errorBody, type ErrorBody, type RequestName } from '../../../shared/contract';
import type { Role } from '../../../shared/domain';
import type { Caller, Sessions } from '../accounts/sessions';

/** public: no sign-in; read: any role; act: operators and supervisors; supervise: supervisors. */
export type Access = 'public' | 'read' | 'act' | 'supervise';

const ROLES: Record<Exclude<Access, 'public'>, readonly Role[]> = {
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
  'session.current': 'read',
  'session.signOut': 'read',
  'shift.current': 'read',
  'shift.list': 'read',
  'shift.close': 'act',
  'user.list': 'supervise',
  'user.add': 'supervise',
  'evidence.export': 'read',
  'picture.get': 'read',
  'log.tail': 'read',
  'feeds.status': 'read',
  'feeds.listeners': 'public',
  'quarantine.list': 'read',
  'coverage.get': 'read',
  'dispatch.rank': 'read',
  'alert.mergeCandidates': 'read',
  'alert.acknowledge': 'act',
  'dispatch.assign': 'act',
  'dispatch.setStatus': 'act',
  'incident.addNote': 'act',
  'incident.close': 'act',
  'console.setMute': 'act',
  'maps.list': 'read',
  'maps.open': 'act',
  'maps.forget': 'act',
  'maps.choose': 'read',
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
  // Field devices (issue 13): anyone signed in sees them; a supervisor registers or blocks one.
  'devices.list': 'read',
  'devices.register': 'supervise',
  'devices.block': 'supervise',
  'devices.unblock': 'supervise',
  'fieldPoints.list': 'read',
  'fieldPoints.attach': 'act',
};

export type Authorization = { ok: true; caller: Caller | null } | { ok: false; error: ErrorBody };

export function authorize(
  sessions: Sessions,
  method: RequestName,
  token: string | undefined,
  onDenied: (caller: Caller, method: RequestName) => void,
): Authorization {
  const access = ACCESS[method];
  if (access === 'public') return { ok: true, caller: sessions.get(token) ?? null };
  const caller = sessions.get(token);
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
