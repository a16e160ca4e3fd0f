// The core: opens the data directory's database, seeds the shipped sectors on
// first start, logs its own start and stop, and serves consoles. Plain Node;
// it never imports electron, so it runs headless, in tests, and inside
// Electron's utilityProcess alike.
import { systemClock, type Clock } from '../../shared/clock';
import { openDatabase, type Db } from './db/database';
import { EventLog } from './log/eventLog';
import type { Logger } from './logger';
import { assetsDir as defaultAssetsDir, rendererDir as defaultRendererDir, sectorsFile } from './paths';
import { seedSectors, sectorProjector } from './picture/sectors';
import { createHandlers } from './server/handlers';
import { newSecret } from './server/guard';
import { startServer, type RunningServer } from './server/httpServer';
import { VIGIE_VERSION } from './version';

export interface CoreOptions {
  dataDir: string;
  port?: number;
  host?: string;
  logger: Logger;
  clock?: Clock;
  rendererDir?: string;
  assetsDir?: string;
}

export interface RunningCore {
  port: number;
  /** The per-launch secret. Hand it to consoles; never log or store it. */
  secret: string;
  /** The address a console opens: http://127.0.0.1:PORT/#token=SECRET */
  consoleUrl: string;
  db: Db;
  log: EventLog;
  stop(reason?: string): Promise<void>;
}

export const CORE_SOURCE = 'core';

export async function startCore(options: CoreOptions): Promise<RunningCore> {
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const { logger } = options;
  const db = openDatabase(options.dataDir);
  let server: RunningServer | undefined;
  try {
    const log = new EventLog(db, clock);
    log.addProjector(sectorProjector(db));
    const startedAt = clock.now();
    log.append([{ kind: 'core.started', source: CORE_SOURCE, payload: { version: VIGIE_VERSION, pid: process.pid } }]);
    const seeded = seedSectors(db, log, sectorsFile);
    if (seeded > 0) logger.info(`first start: logged ${seeded} beach sectors from assets/sectors.geojson`);

    const secret = newSecret();
    server = await startServer({
      host,
      port: options.port ?? 0,
      secret,
      handlers: createHandlers({ db, log, startedAt }),
      logger,
      rendererDir: options.rendererDir ?? defaultRendererDir,
      assetsDir: options.assetsDir ?? defaultAssetsDir,
    });
    const running = server;
    log.onAppended((block) => {
      const events = block.events;
      running.broadcast('log.appended', {
        fromSeq: events[0]!.seq,
        toSeq: events[events.length - 1]!.seq,
        kinds: [...new Set(events.map((event) => event.kind))],
        status: log.status(),
      });
    });

    let stopped = false;
    return {
      port: running.port,
      secret,
      consoleUrl: `http://${host}:${running.port}/#token=${secret}`,
      db,
      log,
      async stop(reason = 'requested') {
        if (stopped) return;
        stopped = true;
        await running.close();
        log.append([{ kind: 'core.stopped', source: CORE_SOURCE, payload: { reason, uptimeMs: clock.now() - startedAt } }]);
        db.close();
      },
    };
  } catch (error) {
    await server?.close();
    db.close();
    throw error;
  }
}
