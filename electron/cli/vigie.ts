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
import { readLocalTime } from '../../shared/localTime';
import fs from 'node:fs';
import { AccountError, Accounts } from '../core/accounts/accounts';
import { EvidenceError, buildEvidence, verifyEvidence } from '../core/evidence/evidence';
import { DataDirectoryInUseError } from '../core/db/coreLock';
import { DatabaseBusyError, openDatabase } from '../core/db/database';
import { iterateEvents } from '../core/log/eventLog';
import { leafHash } from '../core/log/hashChain';
import { verifyChain } from '../core/log/verify';
import { createLogger } from '../core/logger';
import { defaultDataDir, defaultSiteFile } from '../core/paths';
import { readSite } from '../core/site/siteConfig';
import { startCore } from '../core/core';
import { VIGIE_VERSION } from '../core/version';

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
`,
  simulate: `  vigie simulate [--core URL] [--site FILE] [--scenario FILE] [--seed N] [--speed X] [--duration S]
                                              feed a core with a simulated night on the Côte d'Opale
`,
  verify: `  vigie verify [--data DIR]                   check the event log's hash chain
  vigie verify FILE                           check an evidence file on its own
`,
  export: `  vigie export [--data DIR] [--from ISO] [--to ISO]
                                              write the event log as JSON lines to stdout
  vigie export [--data DIR] --incident ID|--shift N --out FILE
                                              write one incident or shift as an evidence file
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
  return `Usage:\n${lines}${lines.includes('DIR') ? `\nDIR defaults to ${defaultDataDir()}.\n` : ''}`;
}

class UsageError extends Error {}

/** What Electron's utilityProcess gives a child; absent under plain Node. */
interface ParentPort {
  postMessage(message: CoreToShellMessage): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}
const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

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
    case 'user':
      return user(rest);
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
function roomAddress(value: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535)
    throw new UsageError(`--room is HOST:PORT (e.g. 192.168.10.5:8443, or [::1]:8443), got ${JSON.stringify(value)}`);
  return { host: match[1] ?? match[2]!, port };
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
  const logger = createLogger();

  const core = await startCore({
    dataDir,
    port,
    logger,
    siteFile: values.site,
    feedPorts: feedPorts === 'random' ? RANDOM_FEED_PORTS : undefined,
    mapsDir: values.maps,
    room: room && { ...room, renewCertificate: (values['renew-certificate'] as unknown) === true },
  });
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
        () => resolve(0),
        (error: unknown) => {
          logger.error(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
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
  return { cotUdp: find('cot', 'udp'), cotTcp: find('cot', 'tcp'), jsonTcp: find('json', 'tcp'), jsonWs: find('json', 'ws'), nmea };
}

/** Every feed listener on a free port chosen by the OS (tests, side-by-side cores). */
const RANDOM_FEED_PORTS = {
  cotUdp: 0,
  cotTcp: 0,
  jsonTcp: 0,
  jsonWs: 0,
  nmea: new Proxy({}, { get: () => ({ udp: 0, tcp: 0 }) }) as Record<string, { udp: number; tcp: number }>,
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

function verify(args: string[]): number {
  const [file, ...rest] = args[0] !== undefined && !args[0].startsWith('-') ? args : [undefined, ...args];
  if (file !== undefined) {
    if (rest.length > 0) throw new UsageError('vigie verify FILE takes nothing else');
    return verifyEvidenceFile(file);
  }
  const dataDir = options(args).data ?? defaultDataDir();
  const db = openDatabase(dataDir, { readonly: true });
  try {
    const result = verifyChain(db);
    if (result.ok) {
      process.stdout.write(`ok: ${result.events} events in ${result.blocks} blocks checked; head ${result.headHash}\n`);
      return 0;
    }
    process.stdout.write(`BROKEN at seq ${result.firstBadSeq}: ${result.reason} (${result.events} events before it check out)\n`);
    return 1;
  } finally {
    db.close();
  }
}

/** `vigie verify FILE`: an evidence file checked on its own (any machine, no data directory). */
function verifyEvidenceFile(file: string): number {
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
  const scope = result.scope.kind === 'incident' ? `incident ${result.scope.id}` : `shift ${result.scope.id}`;
  process.stdout.write(
    `ok: ${scope}, ${result.events} events proven by blocks ${result.firstBlock}–${result.lastBlock}; block ${result.lastBlock} hash ${result.lastHash}\n`,
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
    const evidence = buildEvidence(db, shift !== undefined ? { kind: 'shift', id: shift } : { kind: 'incident', id: values.incident! });
    fs.writeFileSync(values.out, JSON.stringify(evidence));
    process.stderr.write(`wrote ${values.out}: ${evidence.events.length} events, blocks ${evidence.chain[0]!.block}–${evidence.chain.at(-1)!.block}\n`);
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

function exportLog(args: string[]): number {
  const values = options(args, {
    from: { type: 'string' },
    to: { type: 'string' },
    incident: { type: 'string' },
    shift: { type: 'string' },
    out: { type: 'string' },
  });
  const dataDir = values.data ?? defaultDataDir();
  if (values.incident !== undefined || values.shift !== undefined) return exportEvidence(dataDir, values);
  const fromTime = parseTime(values.from, '--from');
  const toTime = parseTime(values.to, '--to');
  const db = openDatabase(dataDir, { readonly: true });
  try {
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
  } finally {
    db.close();
  }
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
    process.stderr.write(error instanceof UsageError ? `vigie: ${message}\n\n${USAGE}` : `vigie: ${message}\n`);
    parentPort?.postMessage({ kind: 'core-failed', message });
    process.exit(error instanceof DatabaseBusyError || error instanceof DataDirectoryInUseError ? 3 : 2);
  },
);
