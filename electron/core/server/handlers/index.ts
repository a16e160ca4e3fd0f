// The core's side of the contract: every request's handler, one file per
// domain beside this one, composed into the one map the server dispatches
// from (runRequest.ts). Handlers check, log and answer; the rules they apply
// live in the domain modules (incidents/, dispatch/, accounts/, sectors/…).
import type { Clock } from '../../../../shared/clock';
import type { BackupJobView, FeedListenerView, RetentionView, StorageStatus, NeighbourView, UplinkView } from '../../../../shared/contract';
import type { ArchiveShelf } from '../../archive/archiveShelf';
import type { Accounts } from '../../accounts/accounts';
import type { Sessions, SignInThrottle } from '../../accounts/sessions';
import type { Shifts } from '../../accounts/shifts';
import type { Db } from '../../db/database';
import type { EtaModel } from '../../dispatch/eta';
import type { UnitTasking } from '../../dispatch/tasking';
import type { FeedStats } from '../../feeds/feedStats';
import type { Quarantine } from '../../feeds/quarantine';
import type { IdAllocator } from '../../incidents/incidents';
import type { EventLog } from '../../log/eventLog';
import type { MapRegistry } from '../../maps/registry';
import type { FieldDevices } from '../../devices/fieldDevices';
import type { FieldPoints } from '../../devices/fieldPoints';
import type { LivePicture } from '../../picture/livePicture';
import type { VesselPicture } from '../../picture/vesselPicture';
import type { ReplayService } from '../../replay/replayService';
import type { PostKey } from '../../keys/postKey';
import { createAccountHandlers } from './accounts';
import { createChatHandlers, type ChatContext } from './chat';
import type { AppendToLog, Handlers } from './common';
import { createDeviceHandlers } from './devices';
import { createDispatchHandlers } from './dispatch';
import { createEvidenceHandlers } from './evidence';
import { createFeedHandlers } from './feeds';
import { createFigureHandlers } from './figures';
import { createIncidentHandlers } from './incidents';
import { createMapHandlers } from './maps';
import { createPictureHandlers } from './picture';
import { createReplayHandlers } from './replay';
import { createSectorHandlers } from './sectors';
import { createKeepingHandlers } from './keeping';
import { createFederationHandlers } from './federation';
import type { PostCentreMessages } from '../../federation/centreMessages';
import { createRoomHandlers } from './room';
import type { Seats } from '../../room/seats';

export type { AppendToLog, Handlers } from './common';

/** Everything the handlers reach: the core's parts, as core.ts builds them. */
export interface HandlerContext extends ChatContext {
  db: Db;
  log: EventLog;
  /** Appends through the log's one ordered writer. */
  append: AppendToLog;
  clock: Clock;
  startedAt: number;
  picture: LivePicture;
  vessels?: VesselPicture;
  ids: IdAllocator;
  tasking: UnitTasking;
  /** Built on first use: the water grid costs a moment that start-up should not pay. */
  eta: () => EtaModel;
  /** Seconds within which a high-risk sector should have an available unit. */
  coverageSeconds: number;
  listeners: () => FeedListenerView[];
  stats: FeedStats;
  quarantine: Quarantine;
  storage: () => StorageStatus;
  accounts: Accounts;
  sessions: Sessions;
  shifts: Shifts;
  throttle: SignInThrottle;
  maps: MapRegistry;
  replay: ReplayService;
  /** The post's signing key (keys/postKey.ts): evidence files are signed with it. */
  postKey: PostKey;
  /** The site's name, as signed with every head. */
  postName: string;
  /** The site's scheduled backups (backup/backupScheduler.ts). */
  backups: () => BackupJobView[];
  /** The retention policy's state (archive/retention.ts); null without a policy. */
  retention: () => RetentionView | null;
  /** The post's archive files, opened read-only for replay and figures. */
  shelf: ArchiveShelf;
  /** The uplink's state (federation/uplink.ts); null without one. */
  uplink: () => UplinkView | null;
  /** The centre's messages to this post (federation/centreMessages.ts); null without an uplink. */
  centreMessages: PostCentreMessages | null;
  /** The neighbours' digests (federation/neighbours.ts); empty without any. */
  neighbours: () => NeighbourView[];
  /** Field devices heard on the CoT feeds, their registrations and blocks. */
  devices: FieldDevices;
  /** Points and markers placed on field devices. */
  fieldPoints: FieldPoints;
  /** The room's seats (issue 15); absent when the post serves only its own console. */
  seats?: Seats;
  /** Who is signed in where changed: supervisors' consoles are told. */
  onSeatsChanged: () => void;
  /** Closes a revoked seat's console sockets. */
  disconnectSeat: (seat: string) => void;
}

export function createHandlers(context: HandlerContext): Handlers {
  return {
    ...createPictureHandlers(context),
    ...createIncidentHandlers(context),
    ...createDispatchHandlers(context),
    ...createFeedHandlers(context),
    ...createAccountHandlers(context),
    ...createEvidenceHandlers(context),
    ...createReplayHandlers(context.replay, context.shelf),
    ...createMapHandlers(context.maps),
    ...createFigureHandlers(context),
    ...createSectorHandlers(context),
    ...createKeepingHandlers(context),
    ...createFederationHandlers(context),
    ...createDeviceHandlers(context),
    ...createChatHandlers(context),
    ...createRoomHandlers(context),
  };
}
