// The `vigie` command: serve (the headless core), simulate (the night
// simulator, a separate program that talks to a core only through its feed
// sockets), verify (walk the hash chain) and export (the log as JSON lines).
// It sits outside electron/core/ because it starts either: the core never
// imports the simulator. Exit codes: 0 ok, 1 the check
// failed, 2 bad usage or unreadable data, 3 the database is held by another
// process, or the data directory by another core (try again once it is gone;
// docs/faults.md).
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ShellToCoreMessage, type CoreToShellMessage } from '../../shared/contract';
import { Role } from '../../shared/domain';
import { PostName, SiteUplink } from '../../shared/site';
import { readLocalTime } from '../../shared/localTime';
import fs from 'node:fs';
import { AccountError, Accounts } from '../core/accounts/accounts';
import { EvidenceError, verifyEvidence, type EvidenceFile } from '../core/evidence/evidence';
import { buildSignedEvidence, checkEvidenceSignature, postName, type SignatureCheck } from '../core/evidence/signedEvidence';
import { BackupError, backupDatabase } from '../core/backup/backup';
import { checkSignedHeads } from '../core/keys/signedHeads';
import { PostKeyError, readPostKey, rotatePostKey, shortFingerprint, type PostKey } from '../core/keys/postKey';
import { DataDirectoryInUseError, lockDataDirectory } from '../core/db/coreLock';
import { DatabaseBusyError, databasePath, openDatabase, type Db } from '../core/db/database';
import { ArchiveError, archiveLog, checkArchiveSignature, openArchive, verifyArchive, type OpenedArchive } from '../core/archive/archive';
import { figuresFromLog } from '../core/figures/figures';
import { figuresToCsv } from '../core/figures/figuresCsv';
import { ReplayError } from '../core/replay/replayEngine';
import { ReplayService } from '../core/replay/replayService';
import { iterateEvents, readLogBase } from '../core/log/eventLog';
import { leafHash } from '../core/log/hashChain';
import { verifyChain } from '../core/log/verify';
import { createLogger, teeLogger, type LogLevel } from '../core/logger';
import { DiagnosticLog, logCrashes } from '../diagnostics/diagnosticLog';
import { defaultDataDir, defaultSiteFile } from '../core/paths';
import { readSite } from '../core/site/siteConfig';
import { startCore } from '../core/core';
import { Centre, POSTS_DIR, mirrorDir, mirroredPosts, readProblem } from '../core/federation/centre';
import { startCentreServer } from '../core/federation/centreServer';
import { classifyNatsError, displayServers } from '../core/federation/natsLink';
import { RestoreError, restorePost } from '../core/federation/restore';
import { VIGIE_VERSION } from '../core/version';
import { parseHostPort, type HostPort } from '../../shared/hostPort';

/** Each command's lines of the usage; `vigie COMMAND --help` prints its own. */
const COMMAND_USAGE: Record<string, string> = {
  serve: `  vigie serve  [--data DIR] [--port N] [--site FILE] [--feed-ports site|random] [--maps DIR] [--demo]
              [--room HOST:PORT [--renew-certificate]]
                                              run the core headless; prints the console address.
                                              --demo also starts the night simulator (data in DIR/demo)
                                              --maps: folder of MBTiles/PMTiles map packs (default DIR/maps)
                                              --room: open the console to the control room's other seats
                                              over HTTPS at HOST:PORT; prints the room address and its
                                              certificate's SHA-256 on the second line (docs/room.md)
              [--post-name NAME --uplink nats://HOST:PORT [--uplink-creds FILE]
               [--uplink-user U] [--uplink-password P] [--uplink-ca FILE] [--uplink-cert FILE --uplink-key FILE]
               [--uplink-replicas 1-5] [--uplink-max-bytes SIZE] [--neighbours POST,POST…]]
                                              publish the log to the regional centre's NATS JetStream
                                              (also "uplink" in the site file; docs/federation.md);
                                              replicas: copies of its stream on a cluster, max bytes:
                                              its cap, e.g. 200G (docs/scale.md); --neighbours: show
                                              those posts' units and open incidents, read-only, as the
                                              centre publishes them
`,
  simulate: `  vigie simulate [--core URL] [--site FILE] [--scenario FILE] [--seed N] [--speed X] [--duration S]
                                              feed a core with a simulated night on the Côte d'Opale
`,
  verify: `  vigie verify [--data DIR]                   check the event log's hash chain and its signed heads
                                              (a centre's DIR: every post's mirror, a line per post)
  vigie verify FILE [--key FINGERPRINT]       check an evidence file or an archive on its own, and who signed it
                                              (--key: insist on that post key, ed25519:… or its first digits)
`,
  export: `  vigie export [--data DIR] [--from ISO] [--to ISO]
                                              write the event log as JSON lines to stdout
  vigie export --data CENTRE_DIR --post NAME [--from ISO] [--to ISO]
                                              the same for a post's mirror at the centre
  vigie export --archive FILE [--from ISO] [--to ISO]
                                              the same for the events of an archive file
  vigie export [--data DIR] --incident ID|--shift N --out FILE
                                              write one incident or shift as an evidence file
`,
  backup: `  vigie backup [--data DIR] --to DIR2          copy the database, consistent, while the post runs (DIR2/vigie.sqlite);
                                              check it with vigie verify --data DIR2
`,
  key: `  vigie key show [--data DIR]                 the post's signing key (its fingerprint)
  vigie key rotate [--data DIR] [--lost]      replace it (core stopped); the old key endorses the new one,
                                              unless --lost (the old key was lost or stolen)
`,
  archive: `  vigie archive [--data DIR] --before ISO --out FILE [--without-uplink]
                                              move every whole block before ISO into one compressed
                                              archive file (the core must not be running on DIR); on a
                                              post with an uplink, only what its stream has acknowledged
                                              (--without-uplink: all the same, for a post whose uplink is gone)
`,
  replay: `  vigie replay --archive FILE --shift N [--at ISO]
                                              the picture of an archived shift at a moment, as JSON
`,
  figures: `  vigie figures --archive FILE --from ISO --to ISO [--csv]
                                              the figures of a range of an archive, as JSON or CSV
`,
  centre: `  vigie centre --data DIR --nats nats://HOST:PORT [--port N] [--consumer NAME]
              [--nats-creds FILE] [--nats-user U] [--nats-password P] [--nats-ca FILE]
                                              the regional centre: mirrors every post's log from NATS
                                              JetStream, checked as it arrives; prints its address first
                                              (docs/federation.md)
`,
  restore: `  vigie restore --nats nats://HOST:PORT --post NAME --data DIR [--nats-creds FILE] [--nats-user U]
              [--nats-password P] [--nats-ca FILE]
                                              rebuild a lost post's data directory from its stream,
                                              verified before use (DIR must hold no database)
`,
  user: `  vigie user add NAME --role operator|supervisor|auditor|display [--data DIR]
                                              create an account; the password is the first line of stdin
`,
};

const USAGE = `Vigie ${VIGIE_VERSION} — coastal dispatch console

Usage:
${Object.values(COMMAND_USAGE).join('')}  vigie help [COMMAND]                        this help, or one command's (also vigie COMMAND --help)

DIR defaults to ${defaultDataDir()}.
`;

function commandUsage(command: string): string {
  const lines = COMMAND_USAGE[command]!;
  return `Usage:\n${lines}${lines.includes('[--data DIR]') ? `\nDIR defaults to ${defaultDataDir()}.\n` : ''}`;
}

class UsageError extends Error {}

/** What Electron's utilityProcess gives a child; absent under plain Node. */
interface ParentPort {
  postMessage(message: CoreToShellMessage): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}
const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

/** The running core's diagnostic file (DATA/logs/vigie-core.log), once `serve` has opened it. */
let diagnostics: DiagnosticLog | undefined;

async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  // `vigie COMMAND --help`: that command's usage, and nothing run (no core started, no stdin read).
  if (Object.hasOwn(COMMAND_USAGE, command) && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(commandUsage(command));
    return 0;
  }
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'simulate':
      return simulate(rest);
    case 'verify':
      return verify(rest);
    case 'export':
      return exportLog(rest);
    case 'archive':
      return archiveCommand(options(rest, { before: { type: 'string' }, out: { type: 'string' }, 'without-uplink': { type: 'boolean' } }));
    case 'replay':
      return replayArchiveCommand(options(rest, { archive: { type: 'string' }, shift: { type: 'string' }, at: { type: 'string' } }));
    case 'figures':
      return figuresArchiveCommand(options(rest, { archive: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, csv: { type: 'boolean' } }));
    case 'user':
      return user(rest);
    case 'centre':
      return centre(rest);
    case 'restore':
      return restore(rest);
    case 'backup':
      return backup(rest);
    case 'key':
      return key(rest);
    case 'help':
    case '--help':
    case '-h':
      if (rest[0] === undefined) process.stdout.write(USAGE);
      else if (Object.hasOwn(COMMAND_USAGE, rest[0])) process.stdout.write(commandUsage(rest[0]));
      else throw new UsageError(`no help for ${JSON.stringify(rest[0])}: not a command`);
      return 0;
    case '--version':
      process.stdout.write(`${VIGIE_VERSION}\n`);
      return 0;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

/**
 * `vigie backup --to DIR2`: a consistent copy of the database, taken through
 * a read-only connection (the running core keeps writing meanwhile), that
 * replaces the previous backup in DIR2 only once complete and checked.
 */
async function backup(args: string[]): Promise<number> {
  const values = options(args, { to: { type: 'string' } });
  if (!values.to) throw new UsageError('vigie backup needs --to DIR2, the folder to copy the database into');
  const dataDir = values.data ?? defaultDataDir();
  const db = openDatabase(dataDir, { readonly: true });
  try {
    const result = await backupDatabase(db, dataDir, values.to);
    process.stdout.write(
      `ok: backed up ${result.lastSeq} events (${result.lastBlock} blocks; head ${result.headHash ?? '—'}) to ${result.file}, ${result.bytes} bytes in ${result.ms} ms\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      process.stderr.write(`vigie backup: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    db.close();
  }
}

/**
 * `vigie key show|rotate`: the post's signing key. A rotation happens with
 * the core stopped (it holds the key); the next start logs the new key, with
 * the retired key's endorsement (docs/evidence.md#key-rotation).
 */
function key(args: string[]): number {
  const [subcommand, ...rest] = args;
  const values = options(rest, { lost: { type: 'boolean' } });
  const dataDir = values.data ?? defaultDataDir();
  try {
    if (subcommand === 'show') {
      const current = readPostKey(dataDir);
      if (!current) {
        process.stderr.write(`vigie key: ${dataDir} has no signing key yet (the core makes one at its first start)\n`);
        return 1;
      }
      process.stdout.write(`${current.fingerprint}\n`);
      return 0;
    }
    if (subcommand !== 'rotate') throw new UsageError('usage: vigie key show|rotate [--data DIR] [--lost]');
    const lock = lockDataDirectory(dataDir);
    try {
      const lost = (values.lost as unknown) === true;
      const { previous, key: next, rotation } = rotatePostKey(dataDir, { lost });
      process.stdout.write(`${next.fingerprint}\n`);
      process.stderr.write(
        `new signing key ${next.fingerprint}${previous ? `, endorsed by ${previous.fingerprint} (now deleted)` : rotation ? ', NOT endorsed (the old key was declared lost)' : ''}; the next start logs it\n`,
      );
      return 0;
    } finally {
      lock.release();
    }
  } catch (error) {
    if (error instanceof PostKeyError) {
      process.stderr.write(`vigie key: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/**
 * `vigie user add NAME --role ROLE`, the password read from standard input
 * (scripted installs, tests). Only the accounts table is written: the core
 * logs the account's creation itself (at start or at the next sign-in),
 * since only the core appends to the log.
 */
async function user(args: string[]): Promise<number> {
  const [subcommand, name, ...rest] = args;
  if (subcommand !== 'add' || !name || name.startsWith('-'))
    throw new UsageError('usage: vigie user add NAME --role operator|supervisor|auditor|display [--data DIR]');
  const values = options(rest, { role: { type: 'string' } });
  const role = Role.safeParse(values.role);
  if (!role.success) throw new UsageError(`--role is operator, supervisor, auditor or display, got ${JSON.stringify(values.role ?? '')}`);
  const password = (await readStdin()).split(/\r?\n/)[0] ?? '';
  const db = openDatabase(values.data ?? defaultDataDir());
  try {
    await new Accounts(db).add(name, role.data, password, 'vigie user add');
    process.stderr.write(`account ${name} (${role.data}) created\n`);
    return 0;
  } catch (error) {
    if (error instanceof AccountError) {
      process.stderr.write(`vigie user add: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    db.close();
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function options(args: string[], extra: Record<string, { type: 'string' | 'boolean' }> = {}) {
  try {
    return parseArgs({ args, options: { data: { type: 'string' }, ...extra }, strict: true, allowPositionals: false }).values as Record<
      string,
      string | undefined
    >;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** `--room HOST:PORT` (IPv6 as [::1]:PORT); the host is an address of this machine that seats can reach. */
function roomAddress(value: string): HostPort {
  const address = parseHostPort(value);
  if (!address) throw new UsageError(`--room is HOST:PORT (e.g. 192.168.10.5:8443, or [::1]:8443), got ${JSON.stringify(value)}`);
  return address;
}

async function serve(args: string[]): Promise<number> {
  const values = options(args, {
    port: { type: 'string' },
    site: { type: 'string' },
    'feed-ports': { type: 'string' },
    maps: { type: 'string' },
    demo: { type: 'boolean' },
    room: { type: 'string' },
    'renew-certificate': { type: 'boolean' },
    'post-name': { type: 'string' },
    uplink: { type: 'string' },
    'uplink-creds': { type: 'string' },
    'uplink-user': { type: 'string' },
    'uplink-password': { type: 'string' },
    'uplink-ca': { type: 'string' },
    'uplink-cert': { type: 'string' },
    'uplink-key': { type: 'string' },
    neighbours: { type: 'string' },
    'uplink-replicas': { type: 'string' },
    'uplink-max-bytes': { type: 'string' },
  });
  const room = values.room === undefined ? undefined : roomAddress(values.room);
  if (room === undefined && (values['renew-certificate'] as unknown) === true) throw new UsageError('--renew-certificate goes with --room HOST:PORT');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, got ${values.port}`);
  const feedPorts = values['feed-ports'];
  if (feedPorts !== undefined && feedPorts !== 'site' && feedPorts !== 'random') throw new UsageError(`--feed-ports is "site" or "random", got ${feedPorts}`);
  const demo = (values.demo as unknown) === true;
  // The demo night gets its own log, apart from a real post's.
  const dataDir = values.data ?? (demo ? path.join(defaultDataDir(), 'demo') : defaultDataDir());
  // A bad site file stops start-up before anything is written, the diagnostic log included (startCore reads it again).
  const site = readSite(values.site ?? defaultSiteFile);
  const uplink = uplinkOptions(values, site.uplink);
  // What the core does and why it fails, kept in the data folder (docs/faults.md#the-diagnostic-log); a crash leaves its reason there.
  diagnostics = new DiagnosticLog({ dataDir, name: 'core', level: process.env.VIGIE_LOG_LEVEL as LogLevel | undefined });
  logCrashes(diagnostics, { onCrash: (message) => parentPort?.postMessage({ kind: 'core-failed', message }) });
  diagnostics.info(`vigie ${VIGIE_VERSION} serve starting`, { dataDir, node: process.version, electronUtility: parentPort !== undefined });
  const logger = teeLogger(createLogger(), diagnostics);

  const core = await startCore({
    dataDir,
    port,
    logger,
    siteFile: values.site,
    feedPorts: feedPorts === 'random' ? RANDOM_FEED_PORTS : undefined,
    mapsDir: values.maps,
    room: room && { ...room, renewCertificate: (values['renew-certificate'] as unknown) === true },
    uplink,
  });
  diagnostics.redactValue(core.secret);
  // Inside the desktop app the Electron main process starts the simulator (a
  // utilityProcess of its own); headless, the core forks it.
  const simulator = demo && !parentPort ? startDemoSimulator(core.consoleUrl, values.site, logger) : undefined;
  // Signal handlers go in before the address is printed: whoever reads that
  // line may stop us at once.
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = (reason: string) => {
      if (stopping) return;
      stopping = true;
      logger.info(`stopping (${reason})`);
      simulator?.kill('SIGTERM');
      core.stop(reason).then(
        () => {
          logger.info('stopped');
          diagnostics?.close();
          resolve(0);
        },
        (error: unknown) => {
          logger.error(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
          diagnostics?.close();
          resolve(1);
        },
      );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    parentPort?.on('message', (event) => {
      if (ShellToCoreMessage.safeParse(event.data).data?.kind === 'shutdown') shutdown('desktop quit');
    });
  });

  // The first line on stdout is the address; tests and the desktop shell read it.
  process.stdout.write(`Vigie console: ${core.consoleUrl}\n`);
  // The second, with a room address: what a seat opens, and the fingerprint it compares on first connection.
  if (core.room) process.stdout.write(`Vigie room: ${core.room.url} certificate SHA-256 ${core.room.fingerprint}\n`);
  logger.info(`core listening on 127.0.0.1:${core.port}, data in ${dataDir}`);
  parentPort?.postMessage({ kind: 'core-ready', port: core.port, token: core.secret });
  return stopped;
}

function uplinkReplicas(value: string): number {
  if (!/^[1-5]$/.test(value))
    throw new UsageError(
      `--uplink-replicas is the number of copies of the post's stream on the NATS cluster, 1–5 (3 on a three-node cluster), got ${JSON.stringify(value)}`,
    );
  return Number(value);
}

/**
 * The uplink from the command line over the site file's (either may give
 * each part); the password may come from VIGIE_UPLINK_PASSWORD rather than
 * a command line others can list.
 */
function uplinkOptions(values: Record<string, string | undefined>, fromSite: SiteUplink | undefined): SiteUplink | undefined {
  const given = Object.entries({
    post: values['post-name'],
    url: values.uplink,
    creds: values['uplink-creds'],
    user: values['uplink-user'],
    password: values['uplink-password'] ?? process.env.VIGIE_UPLINK_PASSWORD,
    ca: values['uplink-ca'],
    cert: values['uplink-cert'],
    key: values['uplink-key'],
    // "" says none, over the site file's.
    neighbours: values.neighbours
      ?.split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
    replicas: values['uplink-replicas'] === undefined ? undefined : uplinkReplicas(values['uplink-replicas']),
    maxBytes: values['uplink-max-bytes'],
  }).filter(([, value]) => value !== undefined);
  if (given.length === 0 || (given.length === 1 && given[0]![0] === 'password' && !fromSite)) return fromSite;
  const merged = { ...fromSite, ...Object.fromEntries(given) };
  if (!merged.url && values.neighbours !== undefined)
    throw new UsageError('--neighbours needs the uplink (--post-name NAME --uplink nats://HOST:PORT): the digests come over it');
  if (!merged.post) throw new UsageError('--uplink needs --post-name NAME (or "uplink": { "post": … } in the site file)');
  if (!merged.url) throw new UsageError('--post-name needs --uplink nats://HOST:PORT (or "uplink": { "url": … } in the site file)');
  if ((merged.cert === undefined) !== (merged.key === undefined)) throw new UsageError('--uplink-cert and --uplink-key go together');
  const parsed = SiteUplink.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`uplink ${issue.path.join('.')}: ${issue.message}`);
  }
  for (const file of [parsed.data.creds, parsed.data.ca, parsed.data.cert, parsed.data.key])
    if (file !== undefined && !fs.existsSync(file)) throw new UsageError(`uplink: no such file ${file}`);
  return parsed.data;
}

/**
 * `vigie simulate`: a night on the Côte d'Opale played against a core over
 * its real feed sockets. With --core (or VIGIE_CORE_URL) it asks that core
 * where its feed listeners are; otherwise it uses the site file's ports.
 */
async function simulate(args: string[]): Promise<number> {
  const values = options(args, {
    core: { type: 'string' },
    site: { type: 'string' },
    scenario: { type: 'string' },
    seed: { type: 'string' },
    speed: { type: 'string' },
    duration: { type: 'string' },
    host: { type: 'string' },
  });
  const { runSimulation } = await import('../simulator/simulate');
  const { readScenario, checkScenarioAgainstSite, defaultScenarioFile } = await import('../simulator/scenario');
  const site = readSite(values.site ?? defaultSiteFile);
  const scenario = readScenario(values.scenario ?? defaultScenarioFile);
  checkScenarioAgainstSite(scenario, site);
  const seed = numberOption(values.seed, '--seed', 20261126);
  const speed = numberOption(values.speed, '--speed', 1);
  const duration = values.duration === undefined ? undefined : numberOption(values.duration, '--duration', 0);
  const coreUrl = values.core ?? process.env.VIGIE_CORE_URL;
  const ports = coreUrl ? await feedPortsOf(coreUrl) : undefined;
  const logger = createLogger();
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  logger.info(`simulating "${scenario.name}" (seed ${seed}, ${speed}× real time${duration ? `, ${duration} s` : ''})`);
  const counts = await runSimulation({
    site,
    scenario,
    seed,
    speed,
    durationSeconds: duration,
    host: values.host ?? '127.0.0.1',
    ports,
    signal: abort.signal,
    log: (line) => logger.info(line),
  });
  process.stdout.write(`${JSON.stringify(counts)}\n`);
  return 0;
}

function numberOption(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} must be a non-negative number, got ${JSON.stringify(value)}`);
  return n;
}

/** Asks a running core (console address with its #token) where its feed listeners are. */
async function feedPortsOf(consoleUrl: string) {
  let url: URL;
  try {
    url = new URL(consoleUrl);
  } catch {
    throw new UsageError(`--core must be the console address printed by vigie serve, got ${JSON.stringify(consoleUrl)}`);
  }
  const token = new URLSearchParams(url.hash.slice(1)).get('token');
  if (!token) throw new UsageError('--core needs the address with its #token=… part, as vigie serve prints it');
  const response = await fetch(new URL('/api/feeds.listeners', url.origin), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  if (!response.ok) throw new Error(`the core at ${url.origin} answered ${response.status} to feeds.listeners`);
  const status = (await response.json()) as { result: { listeners: { protocol: string; transport: string; port: number; sensor?: string }[] } };
  const listeners = status.result.listeners;
  const find = (protocol: string, transport: string) => listeners.find((l) => l.protocol === protocol && l.transport === transport && !l.sensor)?.port;
  const nmea: Record<string, { udp?: number; tcp?: number }> = {};
  for (const l of listeners.filter((l) => l.protocol === 'nmea' && l.sensor)) nmea[l.sensor!] = { ...nmea[l.sensor!], [l.transport]: l.port };
  const ais: Record<string, { udp?: number; tcp?: number }> = {};
  for (const l of listeners.filter((l) => l.protocol === 'ais' && l.sensor)) ais[l.sensor!] = { ...ais[l.sensor!], [l.transport]: l.port };
  return { cotUdp: find('cot', 'udp'), cotTcp: find('cot', 'tcp'), jsonTcp: find('json', 'tcp'), jsonWs: find('json', 'ws'), nmea, ais };
}

/** Every feed listener on a free port chosen by the OS (tests, side-by-side cores). */
const RANDOM_FEED_PORTS = {
  cotUdp: 0,
  cotTcp: 0,
  jsonTcp: 0,
  jsonWs: 0,
  nmea: new Proxy({}, { get: () => ({ udp: 0, tcp: 0 }) }) as Record<string, { udp: number; tcp: number }>,
  ais: new Proxy({}, { get: () => ({ udp: 0, tcp: 0 }) }) as Record<string, { udp: number; tcp: number }>,
  mesh: { sa: 0, chat: 0 },
};

/** `serve --demo`: the night simulator as a separate process, speaking only the feeds. */
function startDemoSimulator(consoleUrl: string, siteFile: string | undefined, logger: ReturnType<typeof createLogger>): ChildProcess {
  const args = ['simulate', ...(siteFile ? ['--site', siteFile] : [])];
  // The address carries the secret: hand it over in the environment, not on a command line others can list.
  const child = fork(__filename, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, VIGIE_CORE_URL: consoleUrl } });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') logger.warn(`demo simulator exited (${code ?? signal})`);
  });
  logger.info("demo: the Côte d'Opale night simulator is feeding this core");
  return child;
}

function verify(args: string[]): number | Promise<number> {
  const [file, ...rest] = args[0] !== undefined && !args[0].startsWith('-') ? args : [undefined, ...args];
  if (file !== undefined) {
    let key: string | undefined;
    try {
      key = parseArgs({ args: rest as string[], options: { key: { type: 'string' } }, strict: true, allowPositionals: false }).values.key as string | undefined;
    } catch {
      throw new UsageError('vigie verify FILE takes only --key FINGERPRINT');
    }
    if (!isArchiveFile(file)) return verifyEvidenceFile(file, key);
    return verifyArchiveFile(file, key);
  }
  const dataDir = options(args).data ?? defaultDataDir();
  if (isCentreDirectory(dataDir)) return verifyCentre(dataDir);
  const db = openDatabase(dataDir, { readonly: true });
  try {
    const result = verifyChain(db);
    if (!result.ok) {
      process.stdout.write(`BROKEN at seq ${result.firstBadSeq}: ${result.reason} (${result.events} events before it check out)\n`);
      return 1;
    }
    const base = readLogBase(db);
    const from = base.archive ? `; starts after block ${base.block} (seq ${base.lastSeq}), archived in ${base.archive}, hash ${result.base.hash}` : '';
    process.stdout.write(`ok: ${result.events} events in ${result.blocks} blocks checked; head ${result.headHash}${from}\n`);
    return reportSignedHeads(db, dataDir, base.lastSeq + result.events);
  } finally {
    db.close();
  }
}

function isCentreDirectory(dir: string): boolean {
  return !fs.existsSync(databasePath(dir)) && fs.existsSync(path.join(dir, POSTS_DIR));
}

/**
 * `vigie verify --data CENTRE_DIR`: each post's mirror walked as its own log
 * is, one line per post, and any gap, break or fork the centre met on the
 * stream (its mirror stopped there) reported as such. Exit 1 if any is not ok.
 */
function verifyCentre(dir: string): number {
  const posts = mirroredPosts(dir);
  if (posts.length === 0) {
    process.stdout.write(`no post mirrored yet in ${dir}\n`);
    return 0;
  }
  let failed = false;
  for (const post of posts) {
    const mirror = mirrorDir(dir, post);
    const db = openDatabase(mirror, { readonly: true });
    try {
      const result = verifyChain(db);
      const problem = readProblem(mirror);
      if (!result.ok) {
        failed = true;
        process.stdout.write(`${post}: BROKEN at seq ${result.firstBadSeq}: ${result.reason} (${result.events} events before it check out)\n`);
      } else if (problem) {
        failed = true;
        process.stdout.write(
          `${post}: ${problem.kind.toUpperCase()} at seq ${problem.seq}: ${problem.detail} (seen ${problem.at}); the mirror's ${result.events} events up to it check out, head ${result.headHash}\n`,
        );
      } else process.stdout.write(`${post}: ok: ${result.events} events in ${result.blocks} blocks checked; head ${result.headHash}\n`);
    } finally {
      db.close();
    }
  }
  return failed ? 1 : 0;
}

/**
 * `vigie centre --data DIR --nats URL`: the regional centre. Its first stdout
 * line is its address; an unreachable server or one without JetStream stops
 * it at once with the reason (exit 2).
 */
async function centre(args: string[]): Promise<number> {
  const values = options(args, {
    nats: { type: 'string' },
    port: { type: 'string' },
    consumer: { type: 'string' },
    'nats-creds': { type: 'string' },
    'nats-user': { type: 'string' },
    'nats-password': { type: 'string' },
    'nats-ca': { type: 'string' },
  });
  if (!values.data) throw new UsageError('vigie centre needs --data DIR, the folder of the post mirrors');
  if (!values.nats) throw new UsageError('vigie centre needs --nats nats://HOST:PORT');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, got ${values.port}`);
  const logger = createLogger();
  const lock = lockDataDirectory(values.data);
  const running = new Centre({
    dir: values.data,
    logger,
    url: values.nats,
    consumer: values.consumer,
    creds: values['nats-creds'],
    user: values['nats-user'],
    password: values['nats-password'] ?? process.env.VIGIE_NATS_PASSWORD,
    ca: values['nats-ca'],
  });
  try {
    await running.start();
  } catch (error) {
    const problem = classifyNatsError(error);
    await running.stop();
    lock.release();
    process.stderr.write(`vigie centre: cannot follow the posts at ${displayServers(values.nats)}: ${CENTRE_PROBLEMS[problem.code]} (${problem.detail})\n`);
    return 2;
  }
  const server = await startCentreServer(running, port);
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = () => {
      if (stopping) return;
      stopping = true;
      void server
        .close()
        .then(() => running.stop())
        .finally(() => {
          lock.release();
          resolve(0);
        });
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
  process.stdout.write(`Vigie centre: ${server.url}\n`);
  logger.info(`centre following the posts on ${displayServers(values.nats)}; mirrors in ${path.join(values.data, POSTS_DIR)}`);
  return stopped;
}

/** `vigie restore`: a post's data directory rebuilt from its stream (docs/federation.md#restore). */
async function restore(args: string[]): Promise<number> {
  const values = options(args, {
    nats: { type: 'string' },
    post: { type: 'string' },
    'nats-creds': { type: 'string' },
    'nats-user': { type: 'string' },
    'nats-password': { type: 'string' },
    'nats-ca': { type: 'string' },
  });
  if (!values.data) throw new UsageError('vigie restore needs --data DIR, the (empty) folder to rebuild the post in');
  if (!values.nats) throw new UsageError('vigie restore needs --nats nats://HOST:PORT');
  if (!values.post || !PostName.safeParse(values.post).success) throw new UsageError('vigie restore needs --post NAME, the post name it published under');
  try {
    const report = await restorePost({
      url: values.nats,
      post: values.post,
      dataDir: values.data,
      creds: values['nats-creds'],
      user: values['nats-user'],
      password: values['nats-password'] ?? process.env.VIGIE_NATS_PASSWORD,
      ca: values['nats-ca'],
      progress: (line) => process.stderr.write(`restore: ${line}\n`),
    });
    process.stdout.write(
      `ok: restored post ${values.post}: ${report.events} events in ${report.blocks} blocks, verified; head ${report.headHash}; into ${databasePath(values.data)} in ${report.ms} ms\n`,
    );
    if (report.unconfirmed > 0)
      process.stderr.write(`restore: ${report.unconfirmed} events after the last block on the stream were left out: their block never reached it\n`);
    if (report.foreign > 0) process.stderr.write(`restore: ${report.foreign} messages on the stream were not Vigie's and were passed over\n`);
    process.stderr.write(
      'restore: not in the stream, so not restored: the accounts (the first start asks for a first supervisor) and the signing key (a new one is made; the old one signed the heads in the log)\n',
    );
    return 0;
  } catch (error) {
    if (error instanceof RestoreError) {
      process.stderr.write(`vigie restore: ${error.message}\n`);
      return 1;
    }
    const problem = classifyNatsError(error);
    if (problem.code !== 'error') {
      process.stderr.write(`vigie restore: cannot read the stream at ${displayServers(values.nats)}: ${CENTRE_PROBLEMS[problem.code]} (${problem.detail})\n`);
      return 2;
    }
    throw error;
  }
}

const CENTRE_PROBLEMS: Record<ReturnType<typeof classifyNatsError>['code'], string> = {
  unreachable: 'the server cannot be reached',
  auth: 'the server refused the credentials',
  tls: 'the secure connection failed',
  'no-jetstream': 'the server has no JetStream (start it with -js)',
  'name-claimed': 'refused',
  'stream-ahead': 'refused',
  error: 'error',
};

/** The second half of `vigie verify --data`: who signed the chain's heads, and whether every signature holds. */
function reportSignedHeads(db: ReturnType<typeof openDatabase>, dataDir: string, headSeq: number): number {
  const signed = checkSignedHeads(db);
  if (!signed.ok) {
    process.stdout.write(`BROKEN: ${signed.problem}\n`);
    return 1;
  }
  if (signed.signatures === 0) {
    process.stdout.write('signatures: none (no head of this log was signed yet)\n');
    return 0;
  }
  const own = (() => {
    try {
      return readPostKey(dataDir)?.fingerprint;
    } catch {
      return undefined;
    }
  })();
  for (const key of signed.keys) {
    const notes = [
      key.fingerprint === own ? "this data directory's key" : null,
      key.endorsed === true ? 'endorsed by the key before it' : null,
      key.endorsed === false ? 'NOT endorsed: the key before it was declared lost' : null,
    ].filter(Boolean);
    process.stdout.write(
      `signed by post ${JSON.stringify(key.post)} with key ${key.fingerprint}: ${key.heads} head${key.heads === 1 ? '' : 's'}${notes.length ? ` (${notes.join('; ')})` : ''}\n`,
    );
  }
  const last = signed.last!;
  process.stdout.write(
    `signatures: ${signed.signatures} heads checked; the last signed is block ${last.block} (seq ${last.seq}, ${new Date(last.time).toISOString()}, key ${shortFingerprint(last.fingerprint)}); ${headSeq - last.seq} events after it are not signed yet\n`,
  );
  return 0;
}

/** `vigie verify FILE`: an evidence file checked on its own (any machine, no data directory). */
function verifyEvidenceFile(file: string, expectedKey?: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    process.stdout.write(`BROKEN: ${file} cannot be read as an evidence file (${error instanceof Error ? error.message : String(error)})\n`);
    return 1;
  }
  const result = verifyEvidence(parsed);
  if (!result.ok) {
    process.stdout.write(
      `BROKEN${result.seq !== undefined ? ` at seq ${result.seq}` : ''}${result.block !== undefined ? ` (block ${result.block})` : ''}: ${result.reason}\n`,
    );
    return 1;
  }
  // Who vouches for it: the post's signature of the chain's last block.
  const signature = checkEvidenceSignature(parsed as EvidenceFile, expectedKey);
  if (signature.signed === 'broken') {
    process.stdout.write(`BROKEN: ${signature.reason}\n`);
    return 1;
  }
  const scope = result.scope.kind === 'incident' ? `incident ${result.scope.id}` : `shift ${result.scope.id}`;
  process.stdout.write(
    `ok: ${scope}, ${result.events} events proven by blocks ${result.firstBlock}–${result.lastBlock}; block ${result.lastBlock} hash ${result.lastHash}\n`,
  );
  return reportFileSignature(signature, 'exported');
}

/** The second line of `vigie verify FILE`: who vouches for the file (a broken signature was reported before). */
function reportFileSignature(signature: Exclude<SignatureCheck, { signed: 'broken' }>, made: 'exported' | 'archived'): number {
  process.stdout.write(
    signature.signed
      ? `signed by post ${JSON.stringify(signature.post)} with key ${signature.fingerprint} (block ${signature.block}, ${new Date(signature.at).toISOString()}, ${signature.why})\n`
      : `NOT SIGNED: this file carries no signature of the post (${made} where no signed head or key was available)\n`,
  );
  return 0;
}

/** `vigie export --incident ID | --shift N --out FILE`: an evidence file. */
function exportEvidence(dataDir: string, values: Record<string, string | undefined>): number {
  if (!values.out) throw new UsageError('--incident and --shift need --out FILE');
  if (values.incident !== undefined && values.shift !== undefined) throw new UsageError('export one incident or one shift, not both');
  const shift = values.shift === undefined ? undefined : Number(values.shift);
  if (shift !== undefined && !(Number.isInteger(shift) && shift > 0)) throw new UsageError(`--shift is a shift number, got ${JSON.stringify(values.shift)}`);
  const db = openDatabase(dataDir, { readonly: true });
  try {
    // Signed with the post's key when no logged signature covers it yet (the export runs on the post, where the key is).
    const evidence = buildSignedEvidence(db, shift !== undefined ? { kind: 'shift', id: shift } : { kind: 'incident', id: values.incident! }, {
      key: readPostKey(dataDir),
    });
    fs.writeFileSync(values.out, JSON.stringify(evidence));
    process.stderr.write(
      `wrote ${values.out}: ${evidence.events.length} events, blocks ${evidence.chain[0]!.block}–${evidence.chain.at(-1)!.block}, ${evidence.signature ? `signed by key ${shortFingerprint(evidence.signature.fingerprint)}` : 'not signed'}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof EvidenceError) {
      process.stderr.write(`vigie export: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    db.close();
  }
}

function exportLog(args: string[]): number | Promise<number> {
  const values = options(args, {
    from: { type: 'string' },
    to: { type: 'string' },
    incident: { type: 'string' },
    shift: { type: 'string' },
    out: { type: 'string' },
    archive: { type: 'string' },
    post: { type: 'string' },
  });
  if (values.post !== undefined && values.data === undefined) throw new UsageError('--post NAME reads a centre directory: give --data CENTRE_DIR');
  if (values.post !== undefined && !PostName.safeParse(values.post).success) throw new UsageError(`--post is a post name, got ${JSON.stringify(values.post)}`);
  const dataDir = values.post !== undefined ? mirrorDir(values.data!, values.post) : (values.data ?? defaultDataDir());
  if (values.post !== undefined && !fs.existsSync(databasePath(dataDir))) {
    process.stderr.write(`vigie export: the centre in ${values.data} has no mirror of post ${values.post}\n`);
    return 1;
  }
  if (values.incident !== undefined || values.shift !== undefined) return exportEvidence(dataDir, values);
  const fromTime = parseTime(values.from, '--from');
  const toTime = parseTime(values.to, '--to');
  if (values.archive !== undefined) {
    if (values.data !== undefined) throw new UsageError('export --archive reads the archive file alone: no --data');
    return withArchive(values.archive, (archive) => writeEvents(archive.db, fromTime, toTime));
  }
  const db = openDatabase(dataDir, { readonly: true });
  try {
    return writeEvents(db, fromTime, toTime);
  } finally {
    db.close();
  }
}

/** The log's events as JSON lines on stdout, the same for a data directory and an archive. */
function writeEvents(db: Db, fromTime: number | undefined, toTime: number | undefined): number {
  let buffer = '';
  for (const event of iterateEvents(db, { fromTime, toTime })) {
    buffer +=
      JSON.stringify({
        seq: event.seq,
        time: new Date(event.time).toISOString(),
        kind: event.kind,
        source: event.source,
        operator: event.operator,
        payload: JSON.parse(event.payload) as unknown,
        hash: leafHash(event).toString('hex'),
      }) + '\n';
    if (buffer.length > 1 << 16) {
      process.stdout.write(buffer);
      buffer = '';
    }
  }
  process.stdout.write(buffer);
  return 0;
}

/** Opens an archive read-only for `use`; a file that is not one is reported (exit 2), the unpacked copy always removed. */
async function withArchive(file: string, use: (archive: OpenedArchive) => number | Promise<number>): Promise<number> {
  let archive: OpenedArchive;
  try {
    archive = await openArchive(file);
  } catch (error) {
    if (error instanceof ArchiveError) {
      process.stderr.write(`vigie: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  try {
    return await use(archive);
  } finally {
    archive.close();
  }
}

function isArchiveFile(file: string): boolean {
  try {
    const handle = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(2);
      return fs.readSync(handle, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
    } finally {
      fs.closeSync(handle);
    }
  } catch {
    return false;
  }
}

/** `vigie verify FILE` for an archive: its chain from its base to its head, alone, and who signed that head. */
function verifyArchiveFile(file: string, expectedKey?: string): Promise<number> {
  return withArchive(file, (archive) => {
    const check = verifyArchive(archive);
    if (!check.ok) {
      process.stdout.write(`BROKEN${check.seq !== undefined ? ` at seq ${check.seq}` : ''}: ${check.reason}\n`);
      return 1;
    }
    const signature = checkArchiveSignature(check.info, expectedKey);
    if (signature.signed === 'broken') {
      process.stdout.write(`BROKEN: ${signature.reason}\n`);
      return 1;
    }
    const { info, result } = check;
    const from = info.firstBlock === 1 ? 'genesis' : `block ${info.firstBlock - 1}, hash ${info.baseHash}`;
    process.stdout.write(
      `ok: archive of events ${info.firstSeq}–${info.lastSeq} (${result.events} events in ${result.blocks} blocks ${info.firstBlock}–${info.lastBlock}) links to ${from}; head ${info.headHash}\n`,
    );
    return reportFileSignature(signature, 'archived');
  });
}

/** `vigie archive --before ISO --out FILE`: only with no core on the directory (the site's retention policy archives from inside a core). */
async function archiveCommand(values: Record<string, string | undefined>): Promise<number> {
  if (!values.before) throw new UsageError('vigie archive needs --before ISO');
  if (!values.out) throw new UsageError('vigie archive needs --out FILE');
  const before = parseTime(values.before, '--before')!;
  const dataDir = values.data ?? defaultDataDir();
  if (!fs.existsSync(databasePath(dataDir))) throw new UsageError(`no Vigie database in ${dataDir}`);
  const lock = lockDataDirectory(dataDir);
  const db = openDatabase(dataDir);
  // Fault injection for the crash tests: SIGKILL this process when it reaches a step.
  const killAt = process.env.VIGIE_ARCHIVE_KILL_AT;
  try {
    // The archive carries the post's signature of its head, made with the key in DIR/keys (docs/archive.md).
    let key: PostKey | undefined;
    try {
      key = readPostKey(dataDir);
      if (!key) process.stderr.write(`archive: no post key in ${dataDir}: the archive will not be signed\n`);
    } catch (error) {
      process.stderr.write(`archive: the archive will not be signed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    // A post that publishes to a regional stream keeps in its live log what the stream has not acknowledged.
    const uplinked =
      (values['without-uplink'] as unknown) === true
        ? undefined
        : (db.prepare('SELECT post, acked_seq FROM uplink_state WHERE id = 1').get() as { post: string; acked_seq: number } | undefined);
    if (uplinked) process.stderr.write(`archive: post ${uplinked.post} has an uplink: its stream holds events up to seq ${uplinked.acked_seq}\n`);
    const report = await archiveLog(db, {
      before,
      out: values.out,
      now: Date.now(),
      signWith: key ? { key, post: postName(db) } : undefined,
      keepAfterSeq: uplinked?.acked_seq,
      progress: (step, detail) => {
        process.stderr.write(`archive: ${step}: ${detail}\n`);
        if (step === killAt) process.kill(process.pid, 'SIGKILL');
      },
    });
    if (report.movedBack) process.stderr.write(`archive: the cut moved back: ${report.movedBack}\n`);
    process.stdout.write(
      `archived ${report.events} events (seq ${report.seqs.first}–${report.seqs.last}, blocks ${report.blocks.first}–${report.blocks.last}, ` +
        `${new Date(report.times.first).toISOString()} – ${new Date(report.times.last).toISOString()}) into ${report.file} (${report.fileBytes} bytes); ` +
        `live database ${report.liveBytesBefore} → ${report.liveBytesAfter} bytes\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ArchiveError) {
      process.stderr.write(`vigie archive: ${error.message}\n`);
      return error.problem === 'already-archived' ? 0 : 1;
    }
    throw error;
  } finally {
    db.close();
    lock.release();
  }
}

/** `vigie replay --archive FILE --shift N [--at ISO]`: the replayed picture, read-only, as JSON. */
function replayArchiveCommand(values: Record<string, string | undefined>): Promise<number> {
  if (!values.archive) throw new UsageError('vigie replay needs --archive FILE');
  const shift = Number(values.shift);
  if (!Number.isInteger(shift) || shift <= 0) throw new UsageError(`--shift is a shift number, got ${JSON.stringify(values.shift ?? '')}`);
  const at = parseTime(values.at, '--at');
  return withArchive(values.archive, async (archive) => {
    const replay = new ReplayService(() => archive.db);
    try {
      const span = replay.shift(shift);
      const moment = await replay.at('cli', shift, at === undefined ? { seq: span.lastSeq } : { time: at });
      process.stdout.write(`${JSON.stringify({ shift: moment.shift, time: new Date(moment.time).toISOString(), seq: moment.seq, picture: moment.picture })}\n`);
      return 0;
    } catch (error) {
      if (error instanceof ReplayError) {
        process.stderr.write(`vigie replay: ${error.message}\n`);
        return 1;
      }
      throw error;
    } finally {
      replay.close();
    }
  });
}

/** `vigie figures --archive FILE --from ISO --to ISO [--csv]`. */
function figuresArchiveCommand(values: Record<string, string | undefined>): Promise<number> {
  if (!values.archive) throw new UsageError('vigie figures needs --archive FILE');
  const from = parseTime(values.from, '--from');
  const to = parseTime(values.to, '--to');
  if (from === undefined || to === undefined || to <= from) throw new UsageError('vigie figures needs --from ISO and a later --to ISO');
  return withArchive(values.archive, async (archive) => {
    const figures = await figuresFromLog(archive.db, { from, to });
    process.stdout.write(values.csv ? figuresToCsv(figures) : `${JSON.stringify(figures)}\n`);
    return 0;
  });
}

/** A local date and time with nothing after it: no Z, no offset. */
const LOCAL_WITHOUT_OFFSET = /^\s*\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?\s*$/;

function parseTime(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  // A local time is read as the console reads one (shared/localTime.ts): refused
  // in the hour the clocks skip, and in the hour they repeat unless its offset
  // says which — never silently moved. With Z or an offset, ISO 8601 as usual.
  const local = readLocalTime(value);
  if ('time' in local) return local.time;
  if (local.problem === 'skipped' && LOCAL_WITHOUT_OFFSET.test(value))
    throw new UsageError(
      `${flag} ${local.text} does not exist in local time: the clocks went forward from ${local.start} to ${local.end} (${local.before} → ${local.after})`,
    );
  if (local.problem === 'repeated')
    throw new UsageError(
      `${flag} ${local.text} happens twice in local time (the clocks went back an hour): add its offset, ${local.first} for the first, ${local.second} for the second (or give it in UTC, ending in Z)`,
    );
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`${flag} must be an ISO-8601 time, e.g. 2026-11-26T22:00:00Z; got ${JSON.stringify(value)}`);
  return ms;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Under utilityProcess or with open handles, leave deliberately once done.
    if (parentPort) process.exit(code);
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    diagnostics?.error(`vigie failed: ${message}`, { stack: error instanceof Error ? error.stack : undefined });
    diagnostics?.close();
    process.stderr.write(error instanceof UsageError ? `vigie: ${message}\n\n${USAGE}` : `vigie: ${message}\n`);
    parentPort?.postMessage({ kind: 'core-failed', message });
    process.exit(error instanceof DatabaseBusyError || error instanceof DataDirectoryInUseError ? 3 : 2);
  },
);
