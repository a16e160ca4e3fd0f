// One plain HTTP call before opening the socket: a browser reports a refused
// WebSocket handshake only as "closed", while this says "wrong secret".
import { PROTOCOL_VERSION } from '../../shared/contract';

export type SecretCheck = 'ok' | 'unauthorized' | 'incompatible' | 'unreachable';

export async function checkSecret(token: string): Promise<SecretCheck> {
  try {
    const response = await fetch('/api/core.hello', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    if (response.status === 401) return 'unauthorized';
    if (!response.ok) return 'unreachable';
    const body = (await response.json()) as { ok?: boolean; result?: { protocol?: number } };
    return body.result?.protocol === PROTOCOL_VERSION ? 'ok' : 'incompatible';
  } catch {
    return 'unreachable';
  }
}
