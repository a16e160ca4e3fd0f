// Replay (issue 5): a shift's timeline, the picture at a moment of it, and the
// chain check — all reads ('read' in access.ts, so auditors replay too). Each
// console (sign-in session) has its own cursor. Replay's own refusals (no such
// shift, a log that cannot be replayed) are ReplayErrors, sent as refusals.
import type { ReplayService } from '../../replay/replayService';
import { signedIn, type HandlersOf } from './common';

export function createReplayHandlers(replay: ReplayService): HandlersOf<'replay.'> {
  return {
    'replay.timeline': ({ shift, buckets }) => replay.timeline(shift, buckets),
    'replay.at': ({ shift, time, seq }, caller) => replay.at(signedIn(caller).token, shift, { time, seq }),
    'replay.verify': ({ shift }) => replay.verify(shift),
    'replay.close': (_params, caller) => ({ closed: replay.drop(signedIn(caller).token) }),
  };
}
