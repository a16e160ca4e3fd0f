// Replay (issue 5): a shift's timeline, the picture at a moment of it, and the
// chain check — all reads ('read' in access.ts, so auditors replay too). Each
// console (sign-in session) has its own cursor. Replay's own refusals (no such
// shift, a log that cannot be replayed) are ReplayErrors, sent as refusals.
// A request naming `archive` replays from that archive file, read-only
// (archive/archiveShelf.ts), with the same service.
import type { ArchiveShelf } from '../../archive/archiveShelf';
import type { ReplayService } from '../../replay/replayService';
import { signedIn, type HandlersOf } from './common';

export function createReplayHandlers(live: ReplayService, shelf: ArchiveShelf): HandlersOf<'replay.'> {
  const from = <T>(archive: string | undefined, work: (replay: ReplayService) => T | Promise<T>): T | Promise<T> =>
    archive === undefined ? work(live) : shelf.use(archive, ({ replay }) => work(replay));
  return {
    'replay.timeline': ({ shift, buckets, archive }) => from(archive, (replay) => replay.timeline(shift, buckets)),
    'replay.at': ({ shift, time, seq, archive }, caller) => from(archive, (replay) => replay.at(signedIn(caller).token, shift, { time, seq })),
    'replay.verify': ({ shift, archive }) => from(archive, (replay) => replay.verify(shift)),
    'replay.close': async (_params, caller) => {
      const token = signedIn(caller).token;
      const inArchives = await shelf.dropCursors(token);
      return { closed: live.drop(token) || inArchives };
    },
  };
}
