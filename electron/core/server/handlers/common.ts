// What every domain's handlers share: the handler map's type (derived from
// shared/contract, so a missing or mistyped handler is a compile error), who
// is calling, and how an operator's action is logged.
import type { RequestName, RequestParams, RequestResult } from '../../../../shared/contract';
import type { Caller } from '../../accounts/sessions';
import { logEvent, type EventKind, type EventPayloads, type LogEvent } from '../../log/eventCatalogue';
import { Refusal } from '../../refusal';
import type { RequestFrom } from '../guard';

/**
 * One handler per request. `caller` is who is signed in on the console that
 * asked (null only for the public requests: server/access.ts decides, before
 * any handler runs, who may call what); `from` is the seat and address it asked from.
 */
export type Handlers = {
  [M in RequestName]: (params: RequestParams<M>, caller: Caller | null, from: RequestFrom) => RequestResult<M> | Promise<RequestResult<M>>;
};

/** The handlers of the requests whose names start with `prefix`. */
export type HandlersOf<Prefix extends string> = Pick<Handlers, Extract<RequestName, `${Prefix}${string}`>>;

/** Appends events to the log through its one ordered writer (log/logWriter.ts: nothing overtakes a block waiting for storage). */
export type AppendToLog = <K extends EventKind>(events: readonly LogEvent<K>[]) => void;

/** The signed-in caller, or a refusal (access.ts lets no caller through to an acting request; this keeps the types honest). */
export function signedIn(caller: Caller | null): Caller {
  if (!caller) throw new Refusal('sign-in-first', {}, 'sign in first');
  return caller;
}

/** An operator action from the console, logged under the name of whoever is signed in. */
export function consoleAction<K extends EventKind>(kind: K, payload: EventPayloads[K], caller: Caller | null): LogEvent<K> {
  return { ...logEvent(kind, 'console', payload), operator: signedIn(caller).name };
}
