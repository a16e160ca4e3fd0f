// `vigie simulate`: a separate process that plays a night on the Côte
// d'Opale against a running core, speaking only the real feeds over real
// sockets — NMEA 0183 per radar (UDP or TCP), the JSON-lines feed (TCP or
// WebSocket, one connection per sensor and per unit), CoT (TCP per unit, UDP
// or TCP for drones). A tick every `tickMs` of real time advances the
// Simulation by tickMs × speed and sends what it produced; units answer the
// assignments the core sends back on their connections.
import { systemClock } from '../../shared/clock';
import type { Site } from '../../shared/site';
import type { Geography } from './model/geography';
import type { Scenario } from './scenario';
import type { SimEndpoint, SimMessage } from './simulation';
import { Simulation } from './simulation';
import { StringDecoder } from 'node:string_decoder';
import { LineSplitter, TakStreamSplitter } from './transport/framing';
import type { Link, LinkStats } from './transport/links';
import { StreamLink, UdpLink, UdpPacer, dialTcp, dialWebSocket, newLinkStats, udpLocalAddress } from './transport/links';
import { MAX_INBOUND_BYTES } from './decode/tasking';
import { SigningLink, signerFor } from './transport/signing';

/** Listener ports of the core; each one missing falls back to the site's `listeners`. */
export interface SimulationPorts {
  cotUdp?: number;
  cotTcp?: number;
  /** Per radar id. */
  nmea?: Record<string, { udp?: number; tcp?: number }>;
  /** Per AIS receiver id. */
  ais?: Record<string, { udp?: number; tcp?: number }>;
  jsonTcp?: number;
  jsonWs?: number;
}

export interface RunSimulationOptions {
  site: Site;
  scenario: Scenario;
  seed: number;
  /** Simulated time per real time: 1 = real time, 10 = ten times faster (and ten times the message rate). */
  speed: number;
  /** Stop after this much simulated time, seconds. Default: run until aborted. */
  durationSeconds?: number;
  /** Where the core's feed listeners are. Default 127.0.0.1. */
  host?: string;
  ports?: SimulationPorts;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** Real time between ticks, ms. Default 200. */
  tickMs?: number;
  /** Defaults to the shipped land polygons and sectors. */
  geography?: Geography;
}

export interface SimulationCounts {
  /** Messages handed to the sockets, by protocol, then message type (TTM, heartbeat, a-f-G-U-C…). */
  sent: { nmea: Record<string, number>; json: Record<string, number>; cot: Record<string, number>; ais: Record<string, number> };
  totals: { nmea: number; json: number; cot: number; ais: number; all: number };
  /** Unsent positions replaced by newer ones while a connection was blocked or down. */
  skippedStale: number;
  /** Messages dropped because a connection's queue overflowed. */
  dropped: number;
  udpErrors: number;
  /** Successful (re)connections of stream links. */
  connects: number;
  /** What the core sent the units. */
  received: { assignments: number; cancellations: number; rejected: number; ignored: number; chats: number };
  simulatedSeconds: number;
  wallSeconds: number;
}

/** At most this many ticks are run back to back to catch up after a stall; beyond that the run falls behind real time. */
const MAX_CATCH_UP = 5;

export async function runSimulation(options: RunSimulationOptions): Promise<SimulationCounts> {
  const { site, scenario, seed } = options;
  const speed = options.speed;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  const tickMs = options.tickMs ?? 200;
  if (!(tickMs >= 10) || !Number.isFinite(tickMs)) throw new RangeError(`tickMs must be at least 10, got ${tickMs}`);
  if (options.durationSeconds !== undefined && !(options.durationSeconds >= 0 && Number.isFinite(options.durationSeconds)))
    throw new RangeError(`durationSeconds must be a non-negative number, got ${options.durationSeconds}`);
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  const durationMs = options.durationSeconds === undefined ? Infinity : options.durationSeconds * 1000;
  const started = performance.now();

  // Stamps are real time: the core judges freshness by its own clock.
  const sim = new Simulation({ site, scenario, seed, geography: options.geography, clock: systemClock });
  const stats = newLinkStats();
  const pacer = new UdpPacer(tickMs, stats);
  // Forty-odd connections failing together (no core yet) would be forty lines: say a few, count the rest.
  const linkLog = throttled(log, 4, 10_000);
  const links = new Map<string, Link>();
  let rejections = 0;
  let sensorRejections = 0;

  const route = (messages: readonly SimMessage[]) => {
    for (const message of messages) links.get(message.endpoint)?.send(message);
  };

  const inbound = (endpoint: SimEndpoint): ((data: Buffer) => void) | undefined => {
    const unit = endpoint.unit;
    if (endpoint.protocol === 'json') {
      const splitter = new LineSplitter(MAX_INBOUND_BYTES);
      // A character cut between two reads is completed by the next one.
      const decoder = new StringDecoder('utf8');
      return (data) => {
        for (const line of splitter.push(decoder.write(data))) {
          const { messages, tasking } = unit ? sim.receiveJsonLine(unit, line) : { messages: [], tasking: describeSensorLine(line) };
          if (tasking.type === 'assign')
            log(`${endpoint.id}: assignment ${tasking.job.assignment} to ${tasking.job.lat.toFixed(5)}, ${tasking.job.lon.toFixed(5)}`);
          if (tasking.type === 'cancel') log(`${endpoint.id}: assignment ${tasking.assignment ?? ''} ended by the console`);
          if (tasking.type === 'rejected') {
            if (!unit) sensorRejections += 1;
            // The first few in full, then now and then: a misconfigured core could refuse everything.
            if (++rejections <= 20 || rejections % 1000 === 0)
              log(`${endpoint.id}: the core rejected a line (${tasking.reason}: ${tasking.detail})${rejections > 20 ? ` — ${rejections} so far` : ''}`);
          }
          route(messages);
        }
      };
    }
    if (endpoint.protocol === 'cot' && unit) {
      // XML events, or TAK Protocol frames for a phone that speaks protobuf.
      const splitter = new TakStreamSplitter(MAX_INBOUND_BYTES);
      return (data) => {
        for (const event of splitter.push(data)) {
          const { messages, tasking } = sim.receiveCotEvent(unit, event);
          if (tasking.type === 'assign')
            log(`${endpoint.id}: tasking ${tasking.job.assignment} to ${tasking.job.lat.toFixed(5)}, ${tasking.job.lon.toFixed(5)}`);
          if (tasking.type === 'cancel') log(`${endpoint.id}: tasking ${tasking.assignment ?? ''} cancelled`);
          route(messages);
        }
      };
    }
    return undefined;
  };

  /** Whatever the core sends must never bring the simulator down. */
  const guarded = (endpoint: SimEndpoint, handler: ((data: Buffer) => void) | undefined) =>
    handler &&
    ((data: Buffer) => {
      try {
        handler(data);
      } catch (error) {
        log(`${endpoint.key}: could not handle what the core sent (${error instanceof Error ? error.message : String(error)})`);
      }
    });

  let failure: unknown;
  let udpDevices = 0;
  try {
    for (const endpoint of sim.endpoints()) {
      const port = portFor(endpoint, site, options.ports);
      if (port === undefined) {
        log(`${endpoint.key}: no listener port for it in the site; not sent`);
        continue;
      }
      const name = `${endpoint.key} → ${endpoint.transport}://${host}:${port}`;
      const link =
        endpoint.transport === 'udp'
          ? new UdpLink(host, port, stats, pacer, udpLocalAddress(host, udpDevices++))
          : new StreamLink({
              name,
              dial: endpoint.transport === 'ws' ? dialWebSocket(host, port) : dialTcp(host, port),
              hello: endpoint.hello,
              onData: guarded(endpoint, inbound(endpoint)),
              log: linkLog,
              stats,
            });
      // A sensor the site gives a secret signs every message (docs/feeds.md, "Authenticated sensors").
      const sign = signerFor(site, endpoint);
      links.set(endpoint.key, sign ? new SigningLink(link, sign) : link);
    }
    log(
      `simulating "${scenario.name}" (seed ${seed}, ×${speed}) against ${host}: ${links.size} feed connections, ${sim.traffic.targets().length} vessels, ${site.units.length} units`,
    );

    await new Promise<void>((resolve) => {
      if (options.signal?.aborted) return resolve();
      let ticks = 0;
      const timer = setInterval(() => {
        const due = Math.floor((performance.now() - started) / tickMs);
        // After a stall run a few ticks at once, then give up on the rest: slower than real time beats a burst.
        if (due - ticks > MAX_CATCH_UP) ticks = due - MAX_CATCH_UP;
        try {
          while (ticks < due) {
            ticks += 1;
            route(sim.step(Math.min(tickMs * speed, durationMs - sim.now)));
            if (sim.now >= durationMs) return stop();
          }
        } catch (error) {
          // A fault in the model: close the sockets, then report it to the caller.
          failure = error;
          stop();
        }
      }, tickMs);
      const stop = () => {
        clearInterval(timer);
        options.signal?.removeEventListener('abort', stop);
        resolve();
      };
      options.signal?.addEventListener('abort', stop, { once: true });
    });
  } finally {
    pacer.stop();
    await Promise.all([...links.values()].map((link) => link.close()));
    linkLog.flush();
  }
  if (failure !== undefined) throw failure;
  const counts = summarise(stats, sim, (performance.now() - started) / 1000);
  counts.received.rejected += sensorRejections;
  log(
    `stopped after ${counts.simulatedSeconds.toFixed(0)} simulated seconds: ${counts.totals.nmea} NMEA, ${counts.totals.json} JSON, ${counts.totals.cot} CoT messages sent`,
  );
  return counts;
}

/** At most `perWindow` lines per window; the rest are counted and reported as one line. */
function throttled(log: (line: string) => void, perWindow: number, windowMs: number): ((line: string) => void) & { flush(): void } {
  let windowStart = -Infinity;
  let count = 0;
  let suppressed = 0;
  const flush = () => {
    if (suppressed > 0) log(`… and ${suppressed} more connection messages like these`);
    suppressed = 0;
  };
  return Object.assign(
    (line: string) => {
      const now = performance.now();
      if (now - windowStart > windowMs) {
        flush();
        windowStart = now;
        count = 0;
      }
      if (count++ < perWindow) log(line);
      else suppressed += 1;
    },
    { flush },
  );
}

/** The core may say something on a sensor's connection too: only its refusals matter. */
function describeSensorLine(line: string): { type: 'rejected'; reason: string; detail: string } | { type: 'ignored'; why: string } {
  try {
    const value = JSON.parse(line) as { type?: unknown; reason?: unknown; detail?: unknown };
    if (value.type === 'rejected') return { type: 'rejected', reason: String(value.reason), detail: String(value.detail) };
  } catch {
    // Not JSON: nothing to act on.
  }
  return { type: 'ignored', why: 'not for a sensor' };
}

function portFor(endpoint: SimEndpoint, site: Site, ports: SimulationPorts = {}): number | undefined {
  const listeners = site.listeners;
  switch (endpoint.protocol) {
    case 'nmea': {
      const listener = listeners.nmea.find((candidate) => candidate.sensor === endpoint.id);
      const override = ports.nmea?.[endpoint.id];
      return endpoint.transport === 'udp' ? (override?.udp ?? listener?.udp) : (override?.tcp ?? listener?.tcp);
    }
    case 'ais': {
      const listener = listeners.ais?.find((candidate) => candidate.sensor === endpoint.id);
      const override = ports.ais?.[endpoint.id];
      return endpoint.transport === 'udp' ? (override?.udp ?? listener?.udp) : (override?.tcp ?? listener?.tcp);
    }
    case 'json':
      return endpoint.transport === 'ws' ? (ports.jsonWs ?? listeners.json.ws) : (ports.jsonTcp ?? listeners.json.tcp);
    case 'cot':
      return endpoint.transport === 'udp' ? (ports.cotUdp ?? listeners.cot.udp) : (ports.cotTcp ?? listeners.cot.tcp);
  }
}

function summarise(stats: LinkStats, sim: Simulation, wallSeconds: number): SimulationCounts {
  const sent = { nmea: { ...stats.sent.nmea }, json: { ...stats.sent.json }, cot: { ...stats.sent.cot }, ais: { ...stats.sent.ais } };
  const total = (byKind: Record<string, number>) => Object.values(byKind).reduce((sum, n) => sum + n, 0);
  const totals = { nmea: total(sent.nmea), json: total(sent.json), cot: total(sent.cot), ais: total(sent.ais), all: 0 };
  totals.all = totals.nmea + totals.json + totals.cot + totals.ais;
  return {
    sent,
    totals,
    skippedStale: stats.skippedStale,
    dropped: stats.dropped,
    udpErrors: stats.udpErrors,
    connects: stats.connects,
    received: { ...sim.inbound },
    simulatedSeconds: sim.now / 1000,
    wallSeconds,
  };
}
