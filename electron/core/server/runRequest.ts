// Checks who is asking (server/access.ts), validates a request against the
// contract, runs its handler, and checks the result too, so a handler bug
// surfaces here rather than in a console. A `Refusal` thrown by a handler or
// a domain module is an answer for the operator (its reason code and params
// go to the console, which words them); anything else is a fault of the core.
import { describeIssues, errorBody, isRequestName, requests, type ErrorBody, type RequestName } from '../../../shared/contract';
import type { Logger } from '../logger';
import type { Caller } from '../accounts/sessions';
import { Refusal } from '../refusal';
import type { Authorization } from './access';
import type { Handlers } from './handlers';
import type { RequestFrom } from './guard';

/** Who is calling, from the request's session token and where it comes from: a caller, or the refusal to send. */
export type Authorizer = (method: RequestName, session: string | undefined, from: RequestFrom) => Authorization;

export type RequestOutcome = { ok: true; result: unknown } | { ok: false; error: ErrorBody };

export async function runRequest(
  handlers: Handlers,
  method: string,
  params: unknown,
  logger: Logger,
  authorize: Authorizer,
  session: string | undefined,
  from: RequestFrom,
): Promise<RequestOutcome> {
  if (!isRequestName(method)) {
    const name = method.slice(0, 64);
    return { ok: false, error: errorBody('unknown-method', 'unknown-method', { method: name }, `unknown method ${JSON.stringify(name)}`) };
  }
  const failed = (): RequestOutcome => ({ ok: false, error: errorBody('internal', 'internal-error', { method }, `${method} failed inside the core`) });
  try {
    // Inside the try: a refused role is logged (access.denied), and a log that cannot be written is a refusal too.
    const access = authorize(method, session, from);
    if (!access.ok) return access;
    const spec = requests[method];
    const parsed = spec.params.safeParse(params ?? {});
    if (!parsed.success) {
      const detail = describeIssues(parsed.error, 'params');
      return { ok: false, error: errorBody('bad-request', 'bad-request', { method, detail }, `${method}: ${detail}`) };
    }
    const handler = handlers[method] as (params: unknown, caller: Caller | null, from: RequestFrom) => unknown;
    const result = await handler(parsed.data, access.caller, from);
    const checked = (spec.result as (typeof requests)[RequestName]['result']).safeParse(result);
    if (!checked.success) {
      logger.error(`${method} produced a result outside the contract: ${describeIssues(checked.error, 'result')}`);
      return failed();
    }
    return { ok: true, result: checked.data };
  } catch (error) {
    if (error instanceof Refusal)
      return { ok: false, error: { code: 'refused', reason: error.reason, params: error.params as Record<string, string | number>, message: error.message } };
    logger.error(`${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return failed();
  }
}
