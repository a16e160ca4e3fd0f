// The one connected client, for actions started by components and shortcuts
// (main.tsx sets it once connected). Calls before that fail like a lost link.
import type { RequestName, RequestParams, RequestResult } from '../../shared/contract';
import { CoreError, type CoreClient } from './coreClient';

let active: CoreClient | null = null;

export function setActiveClient(client: CoreClient): void {
  active = client;
}

export function activeClient(): CoreClient | null {
  return active;
}

export function callCore<M extends RequestName>(method: M, params: RequestParams<M>): Promise<RequestResult<M>> {
  if (!active) return Promise.reject(new CoreError('disconnected', `${method}: not connected to the core`));
  return active.call(method, params);
}
