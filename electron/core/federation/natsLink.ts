// Connecting to NATS for the uplink, the centre and `vigie restore`: one place
// that turns our options (URL, .creds file, user and password, CA, client
// certificate) into the client's, and the client's errors into a reason a
// person can act on.
import fs from 'node:fs';
import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { UplinkProblemCode } from '../../../shared/contract';
import { CENTRE_STREAM, CENTRE_SUBJECTS } from './wire';

export interface NatsTarget {
  /** nats://HOST:PORT or tls://HOST:PORT, several separated by commas. */
  url: string;
  creds?: string;
  user?: string;
  password?: string;
  ca?: string;
  cert?: string;
  key?: string;
}

/** The server list as shown to people: no user or password from the URL. */
export function displayServers(url: string): string {
  return url
    .split(',')
    .map((server) => server.trim().replace(/\/\/[^@/]*@/, '//'))
    .join(',');
}

/**
 * One connection attempt (no retry at the first connect: the caller decides
 * when to try again, and says meanwhile that the server is unreachable);
 * once connected, the client reconnects by itself for as long as it is open.
 */
export async function connectNats(target: NatsTarget, name: string, options: { timeoutMs?: number } = {}): Promise<NatsConnection> {
  const servers = target.url.split(',').map((server) => server.trim());
  const tls = target.ca || target.cert || servers.some((server) => server.startsWith('tls://'));
  return connect({
    servers,
    name,
    timeout: options.timeoutMs ?? 5_000,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    pingInterval: 10_000,
    ...(target.user ? { user: target.user, pass: target.password } : {}),
    ...(target.creds ? { authenticator: credsAuthenticator(fs.readFileSync(target.creds)) } : {}),
    ...(tls ? { tls: { ...(target.ca ? { caFile: target.ca } : {}), ...(target.cert ? { certFile: target.cert, keyFile: target.key } : {}) } } : {}),
  });
}

/** A NATS or JetStream error as one of the uplink's reasons, with the client's own words as detail. */
export function classifyNatsError(error: unknown): { code: UplinkProblemCode; detail: string } {
  const detail = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  const text = `${name} ${detail}`.toLowerCase();
  if (name === 'JetStreamNotEnabled' || text.includes('jetstream is not enabled') || text.includes('jetstream not enabled'))
    return { code: 'no-jetstream', detail };
  if (name === 'AuthorizationError' || name === 'UserAuthenticationExpiredError' || text.includes('authorization') || text.includes('authentication'))
    return { code: 'auth', detail };
  if (text.includes('tls') || text.includes('certificate') || text.includes('ssl')) return { code: 'tls', detail };
  if (
    name === 'ConnectionError' ||
    text.includes('econnrefused') ||
    text.includes('connection refused') ||
    text.includes('timeout') ||
    text.includes('enotfound')
  )
    return { code: 'unreachable', detail };
  return { code: 'error', detail };
}

/** The centre's message stream, made by whichever side needs it first (the centre to send, a post to read). */
export async function ensureCentreStream(jsm: JetStreamManager): Promise<void> {
  try {
    await jsm.streams.info(CENTRE_STREAM);
  } catch (error) {
    if ((error as Error).name !== 'StreamNotFoundError') throw error;
    await jsm.streams.add({ name: CENTRE_STREAM, subjects: [CENTRE_SUBJECTS] }).catch(async (added: unknown) => {
      // The other side made it meanwhile.
      await jsm.streams.info(CENTRE_STREAM).catch(() => Promise.reject(added));
    });
  }
}
