// Signing in and out, the first supervisor of a new post, and handing a
// shift over. The session token lives in sessionStorage (this window only,
// gone when it closes) so a reload keeps the operator signed in; the core
// checks it on every request and forgets it when it restarts or the shift
// is handed over, and the console then asks to sign in again.
import { activeClient, callCore } from '../core/activeClient';
import { CoreError, type CoreClient } from '../core/coreClient';
import { useConsole } from '../state/store';

const SESSION_KEY = 'vigie.session';
const store = () => useConsole.getState();
const signedInListeners = new Set<() => void>();

function saved(): string | null {
  try {
    return sessionStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
}

function save(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(SESSION_KEY, token);
    else sessionStorage.removeItem(SESSION_KEY);
  } catch {
    // Not kept: a reload asks to sign in again.
  }
}

/** Runs after every sign-in (the picture is loaded then). */
export function onSignedIn(listener: () => void): void {
  signedInListeners.add(listener);
}

function enter(client: CoreClient, session: Parameters<ReturnType<typeof store>['signedIn']>[0]): void {
  client.setSession(session.token);
  save(session.token);
  store().signedIn(session);
  for (const listener of signedInListeners) listener();
}

/** Once connected: the first supervisor to create, the saved session to resume, or the sign-in form. */
export async function resumeOrAsk(client: CoreClient): Promise<void> {
  const { needsFirstSupervisor } = await client.call('setup.status', {});
  if (needsFirstSupervisor) return store().setAccess('first-run');
  const token = saved();
  if (token) {
    client.setSession(token);
    try {
      const me = await client.call('session.current', {});
      return enter(client, { ...me, token });
    } catch {
      client.setSession(undefined);
      save(null);
    }
  }
  store().setAccess('sign-in');
}

export async function signIn(name: string, password: string): Promise<void> {
  const client = activeClient();
  if (!client) throw new CoreError('disconnected', 'not connected to the core');
  const result = await client.call('session.signIn', { name, password });
  enter(client, { name: result.name, role: result.role, shift: result.shift, token: result.session });
}

export async function createFirstSupervisor(name: string, password: string): Promise<void> {
  await callCore('setup.createSupervisor', { name, password });
  await signIn(name, password);
}

/** The core forgot this console's session: back to the sign-in form. */
export function forgetSession(): void {
  activeClient()?.setSession(undefined);
  save(null);
  store().signedOut();
}

export async function signOut(): Promise<void> {
  try {
    await callCore('session.signOut', {});
  } finally {
    forgetSession();
  }
}

/** Closes the shift with its handover note; everyone on it signs in again for the next one. */
export async function endShift(handover: string): Promise<void> {
  await callCore('shift.close', { handover });
  forgetSession();
}
