// A request the core turns down because it breaks a rule of the domain (an
// alert already handled, a unit already committed, a ring whose edges
// cross…): an answer for the operator, not a fault. It carries the contract's
// reason code and params (shared/contract/refusals.ts), which each console
// words in its own language, and an English message for logs and the CLI.
// Domain modules throw it (or a subclass naming their domain) where the rule
// lives; server/runRequest.ts sends it as a `refused` error.
import { REFUSAL_TEXT_MAX, type RefusalParams, type RefusalReason } from '../../shared/contract';

/** Params as the contract carries them: a text longer than it allows is cut (a whole import's problems can run to pages). */
function clipped<P>(params: P): P {
  const out: Record<string, unknown> = { ...(params as Record<string, unknown>) };
  for (const [key, value] of Object.entries(out))
    if (typeof value === 'string' && value.length > REFUSAL_TEXT_MAX) out[key] = `${value.slice(0, REFUSAL_TEXT_MAX - 1)}…`;
  return out as P;
}

export class Refusal<R extends RefusalReason = RefusalReason> extends Error {
  override name = 'Refusal';
  readonly params: RefusalParams<R>;

  constructor(
    readonly reason: R,
    params: RefusalParams<R>,
    message: string,
  ) {
    super(message);
    this.params = clipped(params);
  }
}
