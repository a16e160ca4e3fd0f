// A request the core turns down because it breaks a rule of the domain (an
// alert already handled, a unit already committed, a ring whose edges
// cross…): an answer for the operator, not a fault. It carries the contract's
// reason code and params (shared/contract/refusals.ts), which each console
// words in its own language, and an English message for logs and the CLI.
// Domain modules throw it (or a subclass naming their domain) where the rule
// lives; server/runRequest.ts sends it as a `refused` error.
import type { RefusalParams, RefusalReason } from '../../shared/contract';

export class Refusal<R extends RefusalReason = RefusalReason> extends Error {
  override name = 'Refusal';
  constructor(
    readonly reason: R,
    readonly params: RefusalParams<R>,
    message: string,
  ) {
    super(message);
  }
}
