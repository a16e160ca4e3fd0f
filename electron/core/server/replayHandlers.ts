// The contract's replay requests (issue 5): a shift's timeline, the picture
// at a moment of it, and the chain check — all reads ('read' in access.ts,
// so auditors replay too). Each console (sign-in session) has its own cursor.
import type { RequestName } from '../../../shared/contract';
import type { Caller } from '../accounts/sessions';
import { ReplayError } from '../replay/replayEngine';
import type { ReplayService } from '../replay/replayService';
import { RequestRefused, type Handlers } from './handlers';

type ReplayRequest = Extract<RequestName, `replay.${string}`>;

function keyOf(caller: Caller | null): string {
  if (!caller) throw new RequestRefused('sign in first');
  return caller.token;
}

/** Replay's own refusals (no such shift, a log that cannot be replayed) reach the console as refusals. */
async function refusing<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ReplayError) throw new RequestRefused(error.message);
    throw error;
  }
}

export function createReplayHandlers(replay: ReplayService): Pick<Handlers, ReplayRequest> {
  return {
    'replay.timeline': ({ shift, buckets }) => refusing(() => replay.timeline(shift, buckets)),
    'replay.at': ({ shift, time, seq }, caller) => refusing(() => replay.at(keyOf(caller), shift, { time, seq })),
    'replay.verify': ({ shift }) => refusing(() => replay.verify(shift)),
    'replay.close': (_params, caller) => ({ closed: replay.drop(keyOf(caller)) }),
  };
}
