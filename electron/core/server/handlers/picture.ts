// The picture and the log: the handshake, the whole picture for a console
// that (re)connects, and the newest events.
import { PROTOCOL_VERSION } from '../../../../shared/contract';
import type { Db } from '../../db/database';
import type { EventLog } from '../../log/eventLog';
import type { LivePicture } from '../../picture/livePicture';
import type { VesselPicture } from '../../picture/vesselPicture';
import { loadSectors } from '../../picture/sectors';
import { VIGIE_VERSION } from '../../version';
import type { HandlersOf } from './common';

export interface PictureContext {
  db: Db;
  log: EventLog;
  picture: LivePicture;
  /** Ships heard on AIS; absent in tools that build handlers without feeds. */
  vessels?: VesselPicture;
  startedAt: number;
}

export function createPictureHandlers({ db, log, picture, vessels, startedAt }: PictureContext): HandlersOf<'core.' | 'picture.' | 'log.'> {
  return {
    'core.hello': () => ({ product: 'vigie', version: VIGIE_VERSION, protocol: PROTOCOL_VERSION, startedAt }),
    'picture.get': () => ({ sectors: loadSectors(db), ...picture.snapshot(), vessels: vessels?.list() ?? [], log: log.status() }),
    'log.tail': ({ limit }) => ({ events: log.tail(limit) }),
  };
}
