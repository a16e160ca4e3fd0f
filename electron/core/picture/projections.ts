// Every projection of the log, in the order the core registers them: the live
// core runs them inside each append, `vigie restore` runs them over a log
// rebuilt from the stream (federation/restore.ts), so a restored post starts
// with exactly the picture its log implies, and the centre runs them on each
// post's mirror as its blocks arrive (federation/mirror.ts).
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import { iterateEvents, type Projector } from '../log/eventLog';
import type { StoredEvent } from '../log/hashChain';
import { shiftProjector } from '../accounts/shifts';
import { ChatMessages } from '../chat/chatMessages';
import { FieldDevices } from '../devices/fieldDevices';
import { FieldPoints } from '../devices/fieldPoints';
import { snapshotWriter, type SnapshotTiming } from '../replay/snapshots';
import { LivePicture } from './livePicture';
import { sectorProjector } from './sectors';
import { VesselPicture } from './vesselPicture';

/** `snapshots`: when the picture snapshots are encoded — after commit in the live core, where the event loop matters (replay/snapshots.ts). */
export function createProjections(db: Db, snapshots: SnapshotTiming = 'in-transaction', logger?: Pick<Logger, 'warn'>) {
  const picture = new LivePicture(db);
  const devices = new FieldDevices(db); // TAK field devices (issue 13)
  const fieldPoints = new FieldPoints(db);
  const chat = new ChatMessages(db); // GeoChat (docs/tak.md#geochat)
  const vessels = new VesselPicture(db);
  // Replay's picture snapshots (issue 5), ships included; one not written is a warning in the core's log.
  const snapshotter = snapshotWriter(db, picture, undefined, vessels, snapshots, undefined, logger && ((message) => logger.warn(message)));
  const projectors: Projector[] = [
    sectorProjector(db),
    picture.project,
    devices.project,
    fieldPoints.project,
    chat.project,
    vessels.project,
    shiftProjector(db),
    snapshotter,
  ];
  /** Drops what is in memory and reads the committed tables again (after a rolled-back block). */
  const reload = () => {
    snapshotter.cancel(); // one taken in the rolled-back block
    picture.reload();
    devices.reload();
    fieldPoints.reload();
    chat.reload();
    vessels.reload();
  };
  return { picture, devices, fieldPoints, chat, vessels, projectors, reload, snapshotsSettled: snapshotter.settled };
}

/**
 * The projections over the log's blocks after `afterSeq` (all of it by
 * default), a block's worth per transaction, as the live core ran them.
 * `onBlock` runs inside each block's transaction, after the projectors.
 */
export function projectAll(db: Db, projectors: readonly Projector[], afterSeq = 0, onBlock?: (lastSeq: number) => void): void {
  const run = db.transaction((events: readonly StoredEvent[]) => {
    for (const project of projectors) project(events);
    onBlock?.(events[events.length - 1]!.seq);
  });
  const blocks = (
    db.prepare('SELECT first_seq, last_seq FROM log_blocks WHERE last_seq > ? ORDER BY block').all(afterSeq) as { first_seq: number; last_seq: number }[]
  ).map((block) => ({ first_seq: Math.max(block.first_seq, afterSeq + 1), last_seq: block.last_seq }));
  // A few thousand events read at a time (the reading statement must be closed before the writes), then projected block by block.
  for (let i = 0; i < blocks.length;) {
    const chunk: { first_seq: number; last_seq: number }[] = [];
    for (let n = 0; i < blocks.length && (chunk.length === 0 || n < 5_000); i++) {
      chunk.push(blocks[i]!);
      n += blocks[i]!.last_seq - blocks[i]!.first_seq + 1;
    }
    const events: StoredEvent[] = [];
    for (const event of iterateEvents(db, { afterSeq: chunk[0]!.first_seq - 1 })) {
      if (event.seq > chunk[chunk.length - 1]!.last_seq) break;
      events.push(event);
    }
    let at = 0;
    for (const block of chunk) {
      const end = at + (block.last_seq - block.first_seq + 1);
      run(events.slice(at, end));
      at = end;
    }
  }
}
