// Checks who is asking (server/access.ts), validates a request against the
// contract, runs its handler, and checks the result too, so a handler bug
// surfaces here rather than in a console.
import { describeIssues, isRequestName, requests, type ErrorBody, type RequestName } from '../../../shared/contract';
import type { Logger } from '../logger';
import type { Caller } from '../accounts/sessions';
import type { Authorization } from './access';
import type { Handlers } from './handlers';

/** Who is calling, from the request's session token: a caller, or the refusal to send. */
export type Authorizer = (method: RequestName, session: string | undefined) => Authorization;

export type DispatchOutcome = { ok: true; result: unknown } | { ok: false; error: ErrorBody };

export async function dispatch(handlers: Handlers, method: string, params: unknown, logger: Logger, authorize: Authorizer, session?: string): Promise<DispatchOutcome> {
  if (!isRequestName(method)) return { ok: false, error: { code: 'unknown-method', message: `unknown method ${JSON.stringify(method.slice(0, 64))}` } };
  const access = authorize(method, session);
  if (!access.ok) return access;
  const spec = requests[method];
  const parsed = spec.params.safeParse(params ?? {});
  if (!parsed.success) return { ok: false, error: { code: 'bad-request', message: `${method}: ${describeIssues(parsed.error, 'params')}` } };
  try {
    const handler = handlers[method] as (params: unknown, caller: Caller | null) => unknown;
    const result = await handler(parsed.data, access.caller);
    const checked = (spec.result as (typeof requests)[RequestName]['result']).safeParse(result);
    if (!checked.success) {
      logger.error(`${method} produced a result outside the contract: ${describeIssues(checked.error, 'result')}`);
      return { ok: false, error: { code: 'internal', message: `${method} failed inside the core` } };
    }
    return { ok: true, result: checked.data };
  } catch (error) {
    // A refusal is an answer for the operator, not a fault of the core; so is
    // an action the log cannot take now (disk full, database locked: log/logWriter.ts).
    if (error instanceof Error && (error.name === 'RequestRefused' || error.name === 'StorageUnavailableError')) return { ok: false, error: { code: 'refused', message: error.message } };
    logger.error(`${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { ok: false, error: { code: 'internal', message: `${method} failed inside the core` } };
  }
}
