// The core: opens the data directory's database, seeds the shipped sectors on
// first start, logs its own start and stop, and serves consoles. Plain Node;
// it never imports electron, so it runs headless, in tests, and inside
// Electron's utilityProcess alike.
import { packTracks } from '../../shared/contract';
import { systemClock, type Clock } from '../../shared/clock';
import { lockDataDirectory } from './db/coreLock';
import { openDatabase, type Db } from './db/database';
import { pruneArchived } from './archive/archive';
import { RetentionRunner } from './archive/retention';
import { ArchiveShelf } from './archive/archiveShelf';
import { EventLog } from './log/eventLog';
import { kindSet, logEvent } from './log/eventCatalogue';
import { LogWriter, StorageUnavailableError, storageProblem } from './log/logWriter';
import type { Logger } from './logger';
import path from 'node:path';
import { EtaModel } from './dispatch/eta';
import { FeedIngest } from './feeds/ingest';
import { FeedServer, type FeedPorts } from './feeds/feedServer';
import { encodeCotTasking } from './feeds/cot/encodeCotTasking';
import { Outbound } from './feeds/outbound';
import { Quarantine } from './feeds/quarantine';
import { SensorHealthMonitor } from './feeds/sensorHealth';
import { SectorIndex } from './geo/sectorIndex';
import { assetsDir as defaultAssetsDir, defaultSiteFile, rendererDir as defaultRendererDir, sectorsFile } from './paths';
import type { LivePicture } from './picture/livePicture';
import { createProjections } from './picture/projections';
import type { FieldDevices } from './devices/fieldDevices';
import type { FieldPoints } from './devices/fieldPoints';
import type { ChatMessages } from './chat/chatMessages';
import type { VesselPicture } from './picture/vesselPicture';
import { SECTOR_DEFINED, loadSectors, seedSectors } from './picture/sectors';
import { syncSite } from './picture/siteSync';
import { readSite } from './site/siteConfig';
import { createHandlers, type AppendToLog } from './server/handlers';
import { logNewAccounts } from './accounts/accountLog';
import { openMapRegistry, type MapRegistry } from './maps/registry';
import { IdAllocator } from './incidents/incidents';
import { UnitTasking } from './dispatch/tasking';
import { ReplayService } from './replay/replayService';
import { authorize, callerAt } from './server/access';
import { Accounts } from './accounts/accounts';
import { Sessions, SignInThrottle } from './accounts/sessions';
import { Shifts } from './accounts/shifts';
import { RefusalRecorder, newSecret } from './server/guard';
import { startServer, type RunningServer, type ServerLimits } from './server/httpServer';
import { VIGIE_VERSION } from './version';
import { BackupScheduler } from './backup/backupScheduler';
import { loadOrCreatePostKey, type PostKey } from './keys/postKey';
import { HeadSigner } from './keys/signedHeads';
import { roomDoor } from './room/roomDoor';
import { Seats } from './room/seats';
import { Uplink } from './federation/uplink';
import { PostCentreMessages } from './federation/centreMessages';
import { NeighbourWatch } from './federation/neighbours';
import type { SiteUplink } from '../../shared/site';

export interface CoreOptions {
  dataDir: string;
  port?: number;
  host?: string;
  logger: Logger;
  clock?: Clock;
  rendererDir?: string;
  assetsDir?: string;
  /** The site file (sensors, units, listeners); defaults to the shipped demo site. */
  siteFile?: string;
  /** Feed listener ports overriding the site file (0 = any free port). */
  feedPorts?: FeedPorts;
  /** Start the feed listeners (default true). */
  feeds?: boolean;
  /**
   * Parse TCP feed frames in a worker thread (feeds/parseWorker). Off by default: on the 2-core bench machine it made
   * ingest slower (docs/performance.md, issue 17 item 2); the feed bench compares the two (VIGIE_BENCH_PARSE_WORKER=1).
   */
  parseWorker?: boolean;
  /** Folder of map packs (MBTiles, PMTiles); defaults to maps/ inside the data directory. */
  mapsDir?: string;
  /** The API's limits against slow and numerous clients (tests tighten them). */
  serverLimits?: Partial<ServerLimits>;
  /** How often counted refusals are logged as `security.refused` (default 10 s). */
  refusalReportMs?: number;
  /** How often the site's scheduled backups are checked for being due (default 20 s; tests shorten it). */
  backupCheckMs?: number;
  /** The retention policy's first look after start (default a minute; tests shorten it). */
  retentionFirstCheckMs?: number;
  /** How often the head is signed while the log moves (default: the site file's signHeadsEveryMinutes, or 5 minutes). */
  signHeadsEveryMs?: number;
  /** The room address (issue 15; docs/room.md): other seats join over HTTPS there. Absent: the post's own console only. */
  room?: { host: string; port: number; renewCertificate?: boolean };
  /** The uplink to the regional centre (docs/federation.md); overrides the site file's. */
  uplink?: SiteUplink;
  /** Wait between uplink attempts after a failure (tests shorten it). */
  uplinkRetryMs?: number;
  /** How often the uplink tells the centre the post is alive (default 5 s; tests shorten it). */
  uplinkAliveEveryMs?: number;
  /** How old a neighbour's digest may be before it is shown stale (default 60 s; tests shorten it). */
  neighbourStaleAfterMs?: number;
}

export interface RunningCore {
  port: number;
  /** The per-launch secret. Hand it to consoles; never log or store it. */
  secret: string;
  /** The address a console opens: http://127.0.0.1:PORT/#token=SECRET */
  consoleUrl: string;
  /** The room address, when the post serves other seats. */
  room?: { port: number; url: string; fingerprint: string };
  db: Db;
  log: EventLog;
  picture: LivePicture;
  /** Field devices (TAK): heard, registered, blocked. */
  devices: FieldDevices;
  fieldPoints: FieldPoints;
  /** GeoChat messages in and out (issue 13). */
  chat: ChatMessages;
  /** Ships heard on AIS (issue 14). */
  vessels: VesselPicture;
  /** Every append once the core runs: feed blocks, operator actions, system events, in one order. */
  writer: LogWriter;
  /** The post's signing key (DATA/keys/), made at the first start. */
  postKey: PostKey;
  signer: HeadSigner;
  /** The uplink to the regional centre, when the post has one. */
  uplink: Uplink | undefined;
  /** The neighbours' digests it shows, when it has neighbours. */
  neighbours: NeighbourWatch | undefined;
  ingest: FeedIngest;
  feeds: FeedServer | undefined;
  stop(reason?: string): Promise<void>;
}

export const CORE_SOURCE = 'core';

/** Event kinds a console must see at once rather than with the next coalesced delta. */
const URGENT_KINDS = kindSet([
  // A GeoChat message is read as it arrives, like an alert.
  'chat.received',
  'chat.sent',
  'chat.receipt',
  'chat.linked',
  'alert.raised',
  'alert.escalated',
  'alert.acknowledged',
  'incident.opened',
  'incident.noted',
  'incident.closed',
  'dispatch.assigned',
  'dispatch.cancelled',
  'unit.status',
  'sensor.silent',
]);

export async function startCore(options: CoreOptions): Promise<RunningCore> {
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const { logger } = options;
  // A bad site file stops start-up before anything is written.
  const siteFile = options.siteFile ?? defaultSiteFile;
  const site = readSite(siteFile);
  // One core per data directory, refused before the log is opened.
  const lock = lockDataDirectory(options.dataDir);
  let db: Db;
  try {
    db = openDatabase(options.dataDir);
  } catch (error) {
    lock.release();
    throw error;
  }
  let server: RunningServer | undefined;
  let roomServer: RunningServer | undefined;
  let feeds: FeedServer | undefined;
  let maps: MapRegistry | undefined;
  let stopRefusals = () => {};
  let stopReplay = () => {};
  let backups: BackupScheduler | undefined;
  let signer: HeadSigner | undefined;
  let stopRetention: () => Promise<void> | void = () => {};
  let stopShelf: () => Promise<void> | void = () => {};
  let uplink: Uplink | undefined;
  try {
    // An archive interrupted while pruning (docs/archive.md): its archived rows go now.
    const pruned = await pruneArchived(db);
    if (pruned > 0) logger.info(`removed ${pruned} archived events an interrupted archive had left in the live log`);
    const log = new EventLog(db, clock);
    // The picture's projections, run inside every append (picture/projections.ts; vigie restore runs the same list).
    const { picture, devices, fieldPoints, chat, vessels, projectors, reload, snapshotsSettled } = createProjections(db, 'after-commit', logger);
    for (const projector of projectors) log.addProjector(projector);
    // The centre's messages to this post (docs/federation.md#messages-from-the-centre), with an uplink only.
    const centreMessages = (options.uplink ?? site.uplink) ? new PostCentreMessages(db) : null;
    if (centreMessages) log.addProjector(centreMessages.project);
    const quarantine = new Quarantine(db);
    // From here on everything is logged through the writer. At start-up
    // nothing is queued and no block waits for storage (only a feed block can
    // wait, and the feeds are not open yet), so these first appends are
    // committed at once, as log.append would; a log that cannot be written
    // now stops the start.
    const writer = new LogWriter({
      log,
      picture: { reload },
      clock,
      logger,
      beside: quarantine,
    });
    const startedAt = clock.now();
    writer.append([logEvent('core.started', CORE_SOURCE, { version: VIGIE_VERSION, pid: process.pid, site: site.name })]);
    const seeded = seedSectors(db, writer, sectorsFile);
    if (seeded > 0) logger.info(`first start: logged ${seeded} beach sectors from assets/sectors.geojson`);
    const synced = syncSite(site, picture, writer);
    if (synced > 0) logger.info(`site ${JSON.stringify(site.name)}: logged ${synced} new or changed sensors and units`);

    // The post's key (made at the first start) and the signing of its head (docs/evidence.md#signed-heads).
    const { key: postKey, created } = loadOrCreatePostKey(options.dataDir);
    if (created) logger.info(`first start: made the post's signing key ${postKey.fingerprint} (in the data directory's keys/ folder)`);
    signer = new HeadSigner({
      db,
      dataDir: options.dataDir,
      key: postKey,
      post: site.name,
      head: () => log.status(),
      append: (events) => void writer.append(events),
      onAppended: (listener) => log.onAppended(listener),
      logger,
      everyMs: options.signHeadsEveryMs ?? (site.signHeadsEveryMinutes ?? 5) * 60_000,
    });
    const headSigner = signer;
    headSigner.start();

    const sectors = new SectorIndex(loadSectors(db));
    const ingest = new FeedIngest({ writer, picture, site, sectors, quarantine, clock, devices, vessels });
    const outbound = new Outbound(
      site,
      (order) => encodeCotTasking({ ...order, unit: { uid: order.unitUid, callsign: order.callsign } }),
      () => clock.now(),
      { deviceOfUnit: (unit) => devices.deviceOfUnit(unit), callsignOf: (unit) => picture.units.get(unit)?.callsign },
    );
    if (options.feeds !== false) {
      feeds = new FeedServer(site, ingest, writer, outbound, logger, devices, options.parseWorker ?? false);
      await feeds.start(options.feedPorts);
      logger.info(`feeds: ${feeds.listeners.map((l) => `${l.name} ${l.transport}/${l.port}`).join(', ')}`);
    }
    const health = new SensorHealthMonitor(picture, ingest, writer, sectors, clock, startedAt, logger, site.escalateAfterSeconds);
    health.start();

    // Refusals at the API's door are evidence too: logged, but rate-limited so an attack cannot flood the log.
    const refusals = new RefusalRecorder(
      (payload) => writer.append([logEvent('security.refused', CORE_SOURCE, payload)]),
      (line) => logger.warn(`API: ${line}`),
      options.refusalReportMs,
    );
    refusals.start();
    stopRefusals = () => refusals.stop();

    // Accounts made while the core was stopped (`vigie user add`) are logged now.
    // Operator actions and system events go through the same ordered path as the feeds.
    const append: AppendToLog = (events) => void writer.append(events);
    const accounts = new Accounts(db);
    const sessions = new Sessions();
    const shifts = new Shifts(db);
    logNewAccounts(accounts, append);

    // The site's scheduled backups (a target inside the data directory refuses the start).
    backups = new BackupScheduler({
      db,
      dataDir: options.dataDir,
      jobs: site.backups ?? [],
      clock,
      logger,
      checkEveryMs: options.backupCheckMs,
      onRun: (job, outcome) => {
        try {
          writer.append([
            outcome.ok
              ? logEvent('backup.completed', CORE_SOURCE, { to: job.to, seq: outcome.lastSeq, head: outcome.headHash, bytes: outcome.bytes, ms: outcome.ms })
              : logEvent('backup.failed', CORE_SOURCE, { to: job.to, error: outcome.error.slice(0, 500) }),
          ]);
        } catch (error) {
          // The log cannot take it now (full disk): the state file and the diagnostic log still have it.
          logger.warn(`backup to ${job.to}: not logged (${error instanceof Error ? error.message : String(error)})`);
        }
      },
    });
    const scheduled = backups;
    scheduled.start();

    // The uplink reads the committed log and publishes it; nothing here waits for it (docs/federation.md).
    const uplinkConfig = options.uplink ?? site.uplink;
    // Its neighbours' digests ride on the uplink's connection and stay in memory: someone else's data, never in this log.
    const watch =
      uplinkConfig?.neighbours && uplinkConfig.neighbours.length > 0
        ? new NeighbourWatch({ post: uplinkConfig.post, neighbours: uplinkConfig.neighbours, clock, logger, staleAfterMs: options.neighbourStaleAfterMs })
        : undefined;
    if (uplinkConfig) {
      const inbox = centreMessages;
      uplink = new Uplink({
        ...uplinkConfig,
        db,
        log,
        clock,
        logger,
        retryMs: options.uplinkRetryMs,
        aliveEveryMs: options.uplinkAliveEveryMs,
        onConnected: (nc) => watch?.attach(nc),
        // The centre's messages are logged once each: a redelivered one is already in the log.
        onCentreMessage: ({ m, post, text, at }) => {
          if (!inbox!.has(m)) writer.append([logEvent('centre.message', 'centre', { m, post, text, at })]);
        },
      });
      uplink.start();
    }
    const link = uplink;

    const secret = newSecret();
    const replay = new ReplayService(() => openDatabase(options.dataDir, { readonly: true }));
    stopReplay = () => replay.close();
    // The retention policy archives from inside the core; each archive made (or failure) is logged.
    const retention = site.retention
      ? new RetentionRunner({
          db,
          dataDir: options.dataDir,
          policy: site.retention,
          clock,
          logger,
          signWith: { key: postKey, post: site.name },
          // A post with an uplink never archives away what the regional centre has not got.
          keepAfterSeq: () => uplink?.status().ackedSeq,
          firstCheckMs: options.retentionFirstCheckMs,
          onRun: (outcome) => {
            try {
              writer.append([
                outcome.ok
                  ? logEvent('archive.completed', CORE_SOURCE, {
                      file: path.basename(outcome.report.file),
                      events: outcome.report.events,
                      seq: outcome.report.seqs.last,
                      head: outcome.report.headHash,
                      bytes: outcome.report.fileBytes,
                      freed: Math.max(0, outcome.report.liveBytesBefore - outcome.report.liveBytesAfter),
                    })
                  : logEvent('archive.failed', CORE_SOURCE, { error: outcome.error.slice(0, 500) }),
              ]);
            } catch (error) {
              logger.warn(`retention: not logged (${error instanceof Error ? error.message : String(error)})`);
            }
          },
        })
      : undefined;
    stopRetention = () => retention?.stop();
    // The post's archive files, opened read-only for replay and figures (closed when the core stops).
    const shelf = new ArchiveShelf({ db, dataDir: options.dataDir, folder: site.retention?.folder });
    stopShelf = () => shelf.close();
    maps = openMapRegistry(options.dataDir, options.mapsDir, logger);
    let etaModel: EtaModel | undefined;
    const seats = options.room ? new Seats(db, clock) : undefined;
    // A damaged certificate stops start-up with its reason (room/certificate.ts), before any socket opens.
    // Loaded only for a room address: the X.509 library is most of the bundle's weight, and every `vigie` command would pay for it at start.
    const certificate = options.room
      ? await (await import('./room/certificate')).roomCertificate(options.dataDir, options.room.host, { renew: options.room.renewCertificate })
      : undefined;
    const broadcast: RunningServer['broadcast'] = (name, payload) => {
      server?.broadcast(name, payload);
      roomServer?.broadcast(name, payload);
    };
    const handlers = createHandlers({
      db,
      log,
      append,
      clock,
      startedAt,
      picture,
      vessels,
      ids: new IdAllocator(db),
      tasking: new UnitTasking(picture, outbound),
      eta: () => (etaModel ??= EtaModel.fromFile(path.join(options.assetsDir ?? defaultAssetsDir, 'basemap', 'land.geojson'))),
      coverageSeconds: site.coverageEtaMinutes * 60,
      listeners: () => feeds?.listeners ?? [],
      stats: ingest.stats,
      quarantine,
      storage: () => writer.storage,
      accounts,
      sessions,
      shifts,
      throttle: new SignInThrottle(),
      maps,
      replay,
      devices,
      fieldPoints,
      chat,
      chatParts: { site, devices, picture, outbound, meshChat: () => feeds?.meshChat },
      chatSender: { uid: chatUid(site.name), callsign: 'VIGIE' },
      chatDestination: () => {
        const stream = feeds?.listeners.find((listener) => listener.protocol === 'cot' && listener.transport === 'tcp');
        return stream && `${stream.host}:${stream.port}:tcp`;
      },
      seats,
      onSeatsChanged: () => broadcast('seats.changed', {}),
      disconnectSeat: (seat) => roomServer?.disconnectSeat(seat),
      backups: () => scheduled.status(),
      retention: () => retention?.status() ?? null,
      shelf,
      postKey,
      postName: site.name,
      uplink: () => link?.status() ?? null,
      centreMessages,
      neighbours: () => watch?.views() ?? [],
    });
    // Every request but sign-in needs a signed-in caller of the right role, at the seat it signed in at; a refused role is logged.
    const authorizer = (method: Parameters<typeof authorize>[1], session: string | undefined, from: Parameters<typeof authorize>[3]) =>
      authorize(
        sessions,
        method,
        session,
        from,
        (caller, denied) =>
          writer.append([{ ...logEvent('access.denied', CORE_SOURCE, { name: caller.name, role: caller.role, method: denied }), operator: caller.name }]),
        (elsewhere) => refusals.record('session-elsewhere', { remote: elsewhere.address, detail: `seat ${elsewhere.seat ?? 'none'}` }),
      );
    const signedInFrom = (session: string | undefined, from: Parameters<typeof authorize>[3]) => callerAt(sessions, session, from).caller !== undefined;
    // The same API at both addresses; only who may come in, and how (TLS), differ.
    const served = {
      secret,
      maps,
      handlers,
      signedIn: signedInFrom,
      authorize: authorizer,
      logger,
      rendererDir: options.rendererDir ?? defaultRendererDir,
      assetsDir: options.assetsDir ?? defaultAssetsDir,
      refusals,
      limits: options.serverLimits,
    };
    server = await startServer({ ...served, host, port: options.port ?? 0 });
    if (options.room && seats && certificate)
      roomServer = await startServer({
        ...served,
        host: options.room.host,
        port: options.room.port,
        door: roomDoor(seats, options.room.host),
        tls: certificate,
      });
    const room = roomServer;
    const running = { ...server, broadcast };
    // Sector editor (issue 6): a changed sector reaches the alert index (shared by ingest and sensor health) and every console.
    log.onAppended((block) => {
      if (!block.events.some((event) => event.kind === SECTOR_DEFINED)) return;
      const changed = loadSectors(db);
      sectors.replace(changed);
      running.broadcast('sectors.changed', { sectors: changed });
    });
    // Commits come in bursts (one block per feed flush, up to ~100 a second
    // under load); consoles only show the log's status, so the blocks are
    // announced together, at most ten times a second.
    let appended: { fromSeq: number; toSeq: number; kinds: Set<string> } | null = null;
    log.onAppended((block) => {
      const events = block.events;
      appended ??= { fromSeq: events[0]!.seq, toSeq: events[0]!.seq, kinds: new Set() };
      appended.toSeq = events[events.length - 1]!.seq;
      for (const event of events) appended.kinds.add(event.kind);
    });
    const pushAppended = () => {
      if (!appended) return;
      const { fromSeq, toSeq, kinds } = appended;
      appended = null;
      running.broadcast('log.appended', { fromSeq, toSeq, kinds: [...kinds], status: log.status() });
    };

    // Consoles get the picture's changes coalesced, at most ten times a second —
    // except alerts and operator actions, which go out with the commit that
    // made them (the alert-to-screen budget is 100 ms).
    const pushDelta = (withTracks: boolean) => {
      const delta = picture.takeDelta({ withTracks });
      // Ships move like tracks: they wait for the regular delta.
      const ships = withTracks ? vessels.takeDelta() : null;
      if (delta || ships) {
        const { tracks, ...rest } = delta ?? { incidents: [], units: [], tracks: [], tracksRemoved: [], alerts: [], sensors: [] };
        running.broadcast('picture.delta', { ...rest, tracks: packTracks(tracks), ...ships });
      }
      const changedDevices = devices.takeChanged();
      if (changedDevices) running.broadcast('devices.changed', { devices: changedDevices });
      const changedPoints = fieldPoints.takeChanged();
      if (changedPoints) running.broadcast('fieldPoints.changed', changedPoints);
      const changedChat = chat.takeChanged();
      if (changedChat) running.broadcast('chat.changed', { messages: changedChat });
      const changedNeighbours = watch?.takeChanged();
      if (changedNeighbours) running.broadcast('neighbours.changed', { neighbours: changedNeighbours });
    };
    const deltas = setInterval(() => {
      pushDelta(true);
      pushAppended();
    }, 100);
    deltas.unref();
    log.onAppended((block) => {
      // Urgent pushes leave the (many) track updates to the next regular delta.
      if (block.events.some((event) => URGENT_KINDS.has(event.kind))) pushDelta(false);
    });

    let stopped = false;
    const roomHost = options.room && (options.room.host.includes(':') ? `[${options.room.host}]` : options.room.host);
    return {
      port: running.port,
      secret,
      consoleUrl: `http://${host}:${running.port}/#token=${secret}`,
      room: room && certificate ? { port: room.port, url: `https://${roomHost}:${room.port}/`, fingerprint: certificate.fingerprint } : undefined,
      db,
      log,
      picture,
      devices,
      fieldPoints,
      chat,
      vessels,
      writer,
      postKey,
      signer: headSigner,
      uplink: link,
      neighbours: watch,
      ingest,
      feeds,
      async stop(reason = 'requested') {
        if (stopped) return;
        stopped = true;
        health.stop();
        clearInterval(deltas);
        await scheduled.stop();
        await feeds?.close();
        await room?.close();
        await running.close();
        stopRefusals();
        stopReplay();
        await stopRetention();
        await stopShelf();
        await maps?.close();
        watch?.stop();
        await link?.stop();
        await snapshotsSettled(); // a picture snapshot still being encoded is written, not dropped
        try {
          // Whatever arrived before the sockets closed is committed before the stop event.
          writer.flushNow();
          quarantine.flush();
          headSigner.stop();
          // The head as the core leaves it is signed: evidence of the last moments needs no later signature.
          headSigner.sign('stop');
          writer.append([logEvent('core.stopped', CORE_SOURCE, { reason, uptimeMs: clock.now() - startedAt })]);
        } catch (error) {
          if (!(error instanceof StorageUnavailableError || storageProblem(error))) throw error;
          // Storage never came back: what still waits was never reported committed, and is lost (docs/faults.md).
          logger.error(
            `stopping without logging the stop (${error instanceof Error ? error.message : String(error)}); ${writer.storage.waiting} accepted messages were not logged`,
          );
        } finally {
          writer.close();
          db.close();
          lock.release();
        }
      },
    };
  } catch (error) {
    await uplink?.stop();
    signer?.stop();
    await backups?.stop();
    await feeds?.close();
    await roomServer?.close();
    await server?.close();
    stopRefusals();
    stopReplay();
    await stopRetention();
    await stopShelf();
    await maps?.close();
    db.close();
    lock.release();
    throw error;
  }
}

/** Vigie's uid as a TAK contact: one per post, without dots (ATAK splits GeoChat uids on them). */
export function chatUid(post: string): string {
  const slug = post
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `VIGIE-${slug || 'post'}`;
}
