// Why a CoT event is refused: thrown by the mapping functions, caught once
// by parseCotEvent, which turns it into a quarantine reason.
import type { RejectReason } from '../feedMessage';

export class Reject extends Error {
  constructor(
    readonly reason: RejectReason,
    readonly detail: string,
  ) {
    super(detail);
  }
}
