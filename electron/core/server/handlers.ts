// The core's side of the contract: one handler per request method. The map's
// type is derived from shared/contract.ts, so a missing or mistyped handler
// is a compile error.
import { PROTOCOL_VERSION, type RequestName, type RequestParams, type RequestResult } from '../../../shared/contract';
import type { Db } from '../db/database';
import type { EventLog } from '../log/eventLog';
import { loadSectors } from '../picture/sectors';
import { VIGIE_VERSION } from '../version';

export type Handlers = { [M in RequestName]: (params: RequestParams<M>) => RequestResult<M> | Promise<RequestResult<M>> };

export interface HandlerContext {
  db: Db;
  log: EventLog;
  startedAt: number;
}

export function createHandlers({ db, log, startedAt }: HandlerContext): Handlers {
  return {
    'core.hello': () => ({ product: 'vigie', version: VIGIE_VERSION, protocol: PROTOCOL_VERSION, startedAt }),
    'picture.get': () => ({ sectors: loadSectors(db), log: log.status() }),
    'log.tail': ({ limit }) => ({ events: log.tail(limit) }),
  };
}
