// Every projection of the log, in the order the core registers them: the live
// core runs them inside each append, and `vigie restore` runs them over a log
// rebuilt from the stream (federation/restore.ts), so a restored post starts
// with exactly the picture its log implies.
import type { Db } from '../db/database';
import type { Projector } from '../log/eventLog';
import { shiftProjector } from '../accounts/shifts';
import { ChatMessages } from '../chat/chatMessages';
import { FieldDevices } from '../devices/fieldDevices';
import { FieldPoints } from '../devices/fieldPoints';
import { snapshotWriter } from '../replay/snapshots';
import { LivePicture } from './livePicture';
import { sectorProjector } from './sectors';
import { VesselPicture } from './vesselPicture';

export function createProjections(db: Db) {
  const picture = new LivePicture(db);
  const devices = new FieldDevices(db); // TAK field devices (issue 13)
  const fieldPoints = new FieldPoints(db);
  const chat = new ChatMessages(db); // GeoChat (docs/tak.md#geochat)
  const vessels = new VesselPicture(db);
  const projectors: Projector[] = [
    sectorProjector(db),
    picture.project,
    devices.project,
    fieldPoints.project,
    chat.project,
    vessels.project,
    shiftProjector(db),
    snapshotWriter(db, picture, undefined, vessels), // replay's picture snapshots (issue 5), ships included
  ];
  return { picture, devices, fieldPoints, chat, vessels, projectors };
}
