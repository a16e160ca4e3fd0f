// The simulated night, without sockets: `step(dtMs)` advances simulated time
// and returns the wire messages the sensors and units would send in that
// time (NMEA sentences, JSON lines, CoT events, each tagged with the
// connection it goes out on). `receiveJsonLine` / `receiveCotEvent` feed it
// what the core sends a unit. Deterministic: the same seed, scenario, site
// and sequence of calls give the same messages. Tests and benchmarks drive it
// directly, faster than real time; runSimulation puts it on the network.
import type { Clock } from '../../shared/clock';
import type { Site } from '../../shared/site';
import type { Tasking } from './decode/tasking';
import { decodeCotTasking, decodeJsonTasking, xmlAttributes } from './decode/tasking';
import { encodeTakMessage, takEventXml, takStreamFrame, type TakEvent } from './encode/takProtocol';
import { ACK_CHAT, ALL_CHAT_ROOMS, TakPhones, type Phone } from './model/takPhones';
import { cotEvent, xmlElement } from './encode/cot';
import { detectionLine, heartbeatLine, helloLine, optronicLine, unitAckLine, unitPositionLine } from './encode/jsonLines';
import { encodeTll, encodeTtm } from './encode/nmea';
import { aisClassBReport, aisPositionReport, aisStaticReport } from './encode/ais';
import { AisTransponders, type AisReport } from './model/aisTransponders';
import { distanceMeters } from './model/geo';
import { loadGeography } from './loadGeography';
import type { DroneEvent } from './model/drones';
import { Drones } from './model/drones';
import { KNOT_MS } from './model/geo';
import type { Geography } from './model/geography';
import type { Launch, LaunchEvent } from './model/launches';
import { Launches } from './model/launches';
import type { RadarReport } from './model/radar';
import { Radars } from './model/radar';
import { Random } from './model/random';
import { Traffic } from './model/traffic';
import type { UnitEvent } from './model/units';
import { Units } from './model/units';
import type { Scenario } from './scenario';
import { checkScenarioAgainstSite } from './scenario';

export type Protocol = 'nmea' | 'json' | 'cot' | 'ais';
export type Transport = 'udp' | 'tcp' | 'ws';

/** One connection (or datagram source) the simulator speaks through. */
export interface SimEndpoint {
  /** `${protocol}:${id}`, what messages name. */
  key: string;
  protocol: Protocol;
  transport: Transport;
  /** The sensor or unit behind it. NMEA endpoints are radars: their id picks the listener port. */
  id: string;
  /** JSON feed: the line to send first on every (re)connection. */
  hello?: string;
  /** Set when the core may task this connection's unit (assignments come back on it). */
  unit?: string;
}

export interface SimMessage {
  /** SimEndpoint.key of the connection it goes out on. */
  endpoint: string;
  protocol: Protocol;
  /** For counting: TTM, TLL, the JSON `type`, or the CoT event type. */
  kind: string;
  /** The bytes to send, framing included (CRLF, newline, or the whole CoT event). */
  text: string;
  /** Sent instead of `text` when set: a TAK Protocol frame (`text` is then the same event as XML, for logs and tests). */
  bytes?: Uint8Array;
  /** A newer message with the same key makes this one stale (positions): a blocked connection keeps only the newest. */
  replaceKey?: string;
}

export interface SimulationOptions {
  site: Site;
  scenario: Scenario;
  /** Any integer; the same seed replays the same night. */
  seed: number;
  /** Defaults to the shipped land polygons and beach sectors. */
  geography?: Geography;
  /** Time stamped on messages. Default: the scenario's startTime plus simulated time (deterministic). */
  clock?: Clock;
}

/** Longest simulated time moved in one go inside step(): keeps 1 Hz reports at 1 Hz whatever the caller's step. */
const MAX_SUBSTEP_MS = 500;

export class Simulation {
  readonly site: Site;
  readonly scenario: Scenario;
  readonly geography: Geography;
  readonly traffic: Traffic;
  readonly launches: Launches;
  readonly drones: Drones;
  readonly units: Units;
  /** Every CoT unit carries an ATAK phone; the scenario's tak.devices are phones the site does not know. */
  readonly phones: TakPhones;
  readonly radars: Radars;
  /** AIS transponders of the ships (merchant ships, ferries, some fishing boats). */
  readonly ais: AisTransponders;
  /** The site's AIS receivers, and how far each hears. */
  private readonly aisReceivers: { id: string; position: readonly [number, number]; rangeMeters: number }[];
  private aisSequence = 0;
  /** Messages made so far, by `${protocol}:${kind}`. */
  readonly generated: Record<string, number> = {};
  /** What came in from the core, by outcome. */
  readonly inbound = { assignments: 0, cancellations: 0, rejected: 0, ignored: 0, chats: 0 };

  private time = 0;
  private readonly startTime: number;
  private readonly clock: Clock | undefined;
  private readonly endpointList: SimEndpoint[] = [];
  private readonly heartbeats: { sensor: string; everyMs: number; next: number }[] = [];

  constructor(options: SimulationOptions) {
    const { site, scenario } = options;
    if (!Number.isSafeInteger(options.seed)) throw new RangeError(`the seed must be an integer, got ${options.seed}`);
    checkScenarioAgainstSite(scenario, site);
    this.site = site;
    this.scenario = scenario;
    this.clock = options.clock;
    this.startTime = Date.parse(scenario.startTime);
    this.geography = options.geography ?? loadGeography(scenario.coast);
    // Seeds are taken modulo 2^32 (the generator's state size).
    const random = new Random(options.seed >>> 0);

    this.traffic = new Traffic(scenario.traffic, this.geography, random.fork('traffic'));

    const cameras = site.sensors.flatMap((sensor) =>
      sensor.kind === 'camera'
        ? [{ id: sensor.id, position: sensor.position, bearing: sensor.bearing, fieldOfView: sensor.fieldOfView, rangeMeters: sensor.rangeMeters }]
        : [],
    );
    const observers = site.sensors.flatMap((sensor) =>
      sensor.kind === 'optronic' ? [{ id: sensor.id, position: sensor.position, rangeMeters: sensor.rangeMeters }] : [],
    );
    this.launches = new Launches(scenario.launches, this.geography, cameras, observers, random.fork('launches'));

    const droneSpecs = site.sensors.flatMap((sensor) => {
      if (sensor.kind !== 'drone') return [];
      const patrol = scenario.drones.patrols.find((candidate) => candidate.sensor === sensor.id);
      // A drone without a patrol line in the scenario flies back and forth along a short line from its base.
      const path = patrol?.path ?? [sensor.position, [sensor.position[0] + 0.02, sensor.position[1]] as const];
      return [{ id: sensor.id, name: sensor.name, footprintMeters: sensor.footprintMeters, path }];
    });
    this.drones = new Drones(scenario.drones, droneSpecs, random.fork('drones'));
    // Phones the site does not know patrol like its units (docs/simulator.md#atak-phones).
    const fieldDevices = scenario.tak.devices.map((device) => ({
      id: device.uid,
      callsign: device.callsign,
      type: device.type,
      crew: device.crew,
      home: device.home,
      device: { protocol: 'cot' as const, uid: device.uid },
    }));
    this.units = new Units(scenario.units, { ...site, units: [...site.units, ...fieldDevices] }, this.geography, random.fork('units'));
    this.phones = new TakPhones(scenario.tak, this.units.list, random.fork('tak'));

    const radarSpecs = site.sensors.flatMap((sensor) => {
      if (sensor.kind !== 'radar') return [];
      const override = scenario.radars.overrides.find((candidate) => candidate.sensor === sensor.id);
      return [
        {
          id: sensor.id,
          position: sensor.position,
          rangeMeters: sensor.rangeMeters,
          tllShare: override?.tllShare ?? scenario.radars.tllShare,
          reportTargets: override?.reportTargets ?? true,
          transport: override?.transport ?? scenario.radars.transport,
        },
      ];
    });
    this.radars = new Radars(radarSpecs, scenario.radars.reportIntervalSeconds * 1000, random.fork('radars'));

    this.ais = new AisTransponders(random.fork('ais'));
    const aisListeners = new Set((site.listeners.ais ?? []).map((listener) => listener.sensor));
    this.aisReceivers = site.sensors.flatMap((sensor) =>
      sensor.kind === 'ais' && aisListeners.has(sensor.id) ? [{ id: sensor.id, position: sensor.position, rangeMeters: sensor.rangeMeters }] : [],
    );
    for (const receiver of this.aisReceivers) this.endpointList.push({ key: `ais:${receiver.id}`, protocol: 'ais', transport: 'udp', id: receiver.id });

    const heartbeatRandom = random.fork('heartbeats');
    const jsonTransport = (id: string): Transport => (scenario.sensors.websocket.includes(id) ? 'ws' : 'tcp');
    for (const radar of radarSpecs) this.endpointList.push({ key: `nmea:${radar.id}`, protocol: 'nmea', transport: radar.transport, id: radar.id });
    for (const sensor of site.sensors) {
      if (sensor.kind === 'drone') {
        this.endpointList.push({ key: `cot:${sensor.id}`, protocol: 'cot', transport: scenario.drones.transport, id: sensor.id });
        continue;
      }
      // An AIS receiver's life sign is the AIS it forwards.
      if (sensor.kind === 'ais') continue;
      this.endpointList.push({
        key: `json:${sensor.id}`,
        protocol: 'json',
        transport: jsonTransport(sensor.id),
        id: sensor.id,
        hello: helloLine({ sensor: sensor.id, secret: sensor.secret }),
      });
      const everyMs = sensor.heartbeatSeconds * scenario.sensors.heartbeatFraction * 1000;
      this.heartbeats.push({ sensor: sensor.id, everyMs, next: heartbeatRandom.range(0, everyMs) });
    }
    for (const unit of site.units) {
      if (unit.device.protocol === 'json')
        this.endpointList.push({
          key: `json:${unit.id}`,
          protocol: 'json',
          transport: jsonTransport(unit.id),
          id: unit.id,
          hello: helloLine({ unit: unit.id }),
          unit: unit.id,
        });
      else this.endpointList.push({ key: `cot:${unit.id}`, protocol: 'cot', transport: 'tcp', id: unit.id, unit: unit.id });
    }
    for (const device of fieldDevices) this.endpointList.push({ key: `cot:${device.id}`, protocol: 'cot', transport: 'tcp', id: device.id, unit: device.id });
  }

  /** Simulated milliseconds since the start. */
  get now(): number {
    return this.time;
  }

  /** The time stamped on messages now. */
  stamp(): number {
    return this.clock ? this.clock.now() : this.startTime + this.time;
  }

  endpoints(): readonly SimEndpoint[] {
    return this.endpointList;
  }

  /** Advances simulated time by dtMs and returns what was sent meanwhile, in order. */
  step(dtMs: number): SimMessage[] {
    if (!(dtMs >= 0) || !Number.isFinite(dtMs)) throw new Error(`step needs a finite, non-negative duration, got ${dtMs}`);
    const out: SimMessage[] = [];
    let remaining = dtMs;
    while (remaining > 0) {
      const h = Math.min(remaining, MAX_SUBSTEP_MS);
      this.substep(h, out);
      remaining -= h;
    }
    return out;
  }

  /** A group starts gathering now (in the given sector, or one drawn by risk). For demos and tests. */
  startLaunch(sectorId?: string): Launch {
    return this.launches.start(this.time, this.units.positions(), sectorId);
  }

  /** A line the core sent on a unit's JSON connection. Returns the unit's immediate answer (its acknowledgement). */
  receiveJsonLine(unitId: string, line: string): { messages: SimMessage[]; tasking: Tasking } {
    return this.act(unitId, decodeJsonTasking(line.trim(), unitId));
  }

  /** A CoT event the core sent on a unit's CoT connection (a t-x-d tasking, or GeoChat for its phone). */
  receiveCotEvent(unitId: string, xml: string): { messages: SimMessage[]; tasking: Tasking } {
    const unit = this.units.get(unitId);
    const phone = unit && this.phones.of(unit);
    if (phone && xmlAttributes(xml, 'event')?.type === 'b-t-f') return this.answerChat(phone, xml);
    return this.act(unitId, decodeCotTasking(xml, unit?.device.protocol === 'cot' ? unit.device.uid : undefined));
  }

  /** The console wrote to the phone: it answers, to whoever wrote (or to the room the message was in). */
  private answerChat(phone: Phone, xml: string): { messages: SimMessage[]; tasking: Tasking } {
    const chat = xmlAttributes(xml, '__chat');
    const sender = xmlAttributes(xml, 'chatgrp')?.uid0;
    if (!chat || !sender || sender === phone.uid) {
      this.inbound.ignored += 1;
      return { messages: [], tasking: { type: 'ignored', why: 'GeoChat without a sender' } };
    }
    this.inbound.chats += 1;
    const out: SimMessage[] = [];
    const room = chat.chatroom === ALL_CHAT_ROOMS ? undefined : { uid: sender, callsign: chat.senderCallsign ?? sender };
    this.sendTak(out, phone, this.phones.chat(phone, 'Reçu', this.stamp(), room));
    return { messages: out, tasking: { type: 'ignored', why: 'GeoChat answered' } };
  }

  /** Is the sensor in one of the scenario's silences now? */
  isSilent(sensor: string): boolean {
    const minutes = this.time / 60_000;
    return this.scenario.sensors.silences.some(
      (silence) => silence.sensor === sensor && minutes >= silence.afterMinutes && minutes < silence.afterMinutes + silence.forMinutes,
    );
  }

  private act(unitId: string, tasking: Tasking): { messages: SimMessage[]; tasking: Tasking } {
    const unit = this.units.get(unitId);
    if (!unit) {
      this.inbound.ignored += 1;
      return { messages: [], tasking: { type: 'ignored', why: `no unit ${unitId}` } };
    }
    const out: SimMessage[] = [];
    switch (tasking.type) {
      case 'assign':
        this.inbound.assignments += 1;
        for (const event of this.units.assign(unit, tasking.job, this.time)) this.onUnitEvent(event, out);
        break;
      case 'cancel':
        this.inbound.cancellations += 1;
        this.units.cancel(unit, tasking.assignment);
        break;
      case 'rejected':
        this.inbound.rejected += 1;
        break;
      case 'ignored':
        this.inbound.ignored += 1;
        break;
    }
    return { messages: out, tasking };
  }

  private substep(h: number, out: SimMessage[]): void {
    this.time += h;
    const now = this.time;
    this.traffic.step(h);
    this.launches.step(now, h, this.units.positions(), (event) => this.onLaunchEvent(event, out));
    this.drones.step(now, h, (event) => this.onDroneEvent(event, out));
    this.units.step(now, h, (event) => this.onUnitEvent(event, out));
    for (const { phone, event } of this.phones.markGroups(this.launches.all(), this.stamp())) this.sendTak(out, phone, event);
    const emergency = this.phones.emergency(now, this.stamp());
    if (emergency) this.sendTak(out, emergency.phone, emergency.event);
    const targets = [...this.traffic.targets(), ...this.launches.boats()];
    this.radars.step(
      now,
      targets,
      (radar) => this.isSilent(radar),
      (report) => this.onRadarReport(report, out),
    );
    if (this.aisReceivers.length > 0) {
      const receiverOf = (position: readonly [number, number]) =>
        this.aisReceivers.find((receiver) => distanceMeters(position as [number, number], receiver.position as [number, number]) <= receiver.rangeMeters);
      this.ais.step(
        now,
        this.traffic.targets(),
        (position) => receiverOf(position) !== undefined,
        (report) => this.onAisReport(report, receiverOf(report.type === 'position' ? [report.lon, report.lat] : this.aisReceivers[0]!.position)?.id, out),
      );
    }
    for (const heartbeat of this.heartbeats) {
      if (now < heartbeat.next) continue;
      heartbeat.next = Math.max(heartbeat.next + heartbeat.everyMs, now + 1);
      if (!this.isSilent(heartbeat.sensor))
        this.push(out, { endpoint: `json:${heartbeat.sensor}`, protocol: 'json', kind: 'heartbeat', text: heartbeatLine(heartbeat.sensor, this.stamp()) });
    }
  }

  /** A phone's event, in the format the phone speaks (the XML stays in `text` for logs and tests). */
  private sendTak(out: SimMessage[], phone: Phone, event: TakEvent, replaceKey?: string): void {
    this.push(out, {
      endpoint: `cot:${phone.unit.id}`,
      protocol: 'cot',
      kind: event.type,
      text: takEventXml(event),
      ...(phone.format === 'protobuf' ? { bytes: takStreamFrame(encodeTakMessage(event)) } : {}),
      ...(replaceKey !== undefined ? { replaceKey } : {}),
    });
  }

  private push(out: SimMessage[], message: SimMessage): void {
    const key = `${message.protocol}:${message.kind}`;
    this.generated[key] = (this.generated[key] ?? 0) + 1;
    out.push(message);
  }

  private onRadarReport(report: RadarReport, out: SimMessage[]): void {
    const time = this.stamp();
    const text = report.sentence === 'TLL' ? encodeTll(report, time) : encodeTtm(report, time);
    this.push(out, { endpoint: `nmea:${report.radar}`, protocol: 'nmea', kind: report.sentence, text, replaceKey: `${report.radar}:${report.name}` });
  }

  private onAisReport(report: AisReport, receiver: string | undefined, out: SimMessage[]): void {
    if (!receiver || this.isSilent(receiver)) return;
    const { ship } = report;
    const lines =
      report.type === 'static'
        ? aisStaticReport(ship, this.aisSequence++)
        : (ship.classB ? aisClassBReport : aisPositionReport)({
            mmsi: ship.mmsi,
            lat: report.lat,
            lon: report.lon,
            speed: report.speed,
            course: report.course,
            heading: report.heading,
            status: ship.shipType === 30 ? 7 : 0,
            second: report.second,
          });
    // The two sentences of a type 5 travel together, as receivers forward them.
    this.push(out, {
      endpoint: `ais:${receiver}`,
      protocol: 'ais',
      kind: report.type === 'static' ? 'type5' : ship.classB ? 'type18' : 'type1',
      text: lines.join(''),
    });
  }

  private onLaunchEvent(event: LaunchEvent, out: SimMessage[]): void {
    switch (event.type) {
      case 'detection':
        if (this.isSilent(event.sensor)) return;
        this.push(out, {
          endpoint: `json:${event.sensor}`,
          protocol: 'json',
          kind: 'detection',
          text: detectionLine(
            {
              sensor: event.sensor,
              detection: event.detection,
              kind: event.kind,
              lat: event.at[1],
              lon: event.at[0],
              confidence: event.confidence,
              count: event.count,
            },
            this.stamp(),
          ),
        });
        return;
      case 'optronic':
        if (this.isSilent(event.sensor)) return;
        this.push(out, {
          endpoint: `json:${event.sensor}`,
          protocol: 'json',
          kind: 'optronic',
          text: optronicLine(
            {
              sensor: event.sensor,
              report: event.report,
              kind: event.kind,
              observer: { lat: event.observer[1], lon: event.observer[0] },
              bearing: event.bearing,
              range: event.range,
              confidence: event.confidence,
            },
            this.stamp(),
          ),
        });
        return;
      case 'launched':
        this.drones.divert(event.launch);
        return;
      case 'prevented':
      case 'crossed':
        return;
    }
  }

  private onDroneEvent(event: DroneEvent, out: SimMessage[]): void {
    const drone = event.drone;
    if (this.isSilent(drone.id)) return;
    const endpoint = `cot:${drone.id}`;
    const time = this.stamp();
    const staleSeconds = this.scenario.cot.staleSeconds;
    const parent = xmlElement('link', { uid: drone.id, relation: 'p-p', type: 'a-f-A-M-F-Q' });
    switch (event.type) {
      case 'position':
        this.push(out, {
          endpoint,
          protocol: 'cot',
          kind: 'a-f-A-M-F-Q',
          replaceKey: `position:${drone.id}`,
          text: cotEvent({
            uid: drone.id,
            type: 'a-f-A-M-F-Q',
            time,
            staleSeconds,
            how: 'm-g',
            point: { lat: drone.position[1], lon: drone.position[0], hae: this.scenario.drones.altitudeMeters, ce: 10, le: 15 },
            detail: [xmlElement('contact', { callsign: drone.name }), xmlElement('track', { course: round1(drone.heading), speed: round1(drone.speedMs) })],
          }),
        });
        return;
      case 'sighting':
        this.push(out, {
          endpoint,
          protocol: 'cot',
          kind: 'b-m-p-s-p-i',
          text: cotEvent({
            uid: `${drone.id}-${event.launch.name}-POI`,
            type: 'b-m-p-s-p-i',
            time,
            staleSeconds: Math.max(staleSeconds, 600),
            how: 'm-f',
            point: { lat: event.boat.position[1], lon: event.boat.position[0], ce: 30 },
            detail: [
              xmlElement('contact', { callsign: `${event.boat.id} (${drone.id})` }),
              parent,
              xmlElement('vigie', { kind: 'boat-at-sea', confidence: 0.8, count: event.launch.people }),
              xmlElement('remarks', {}, `Boat at sea seen by ${drone.name}, about ${event.launch.people} people aboard`),
            ],
          }),
        });
        return;
      case 'track':
        this.push(out, {
          endpoint,
          protocol: 'cot',
          kind: 'a-s-S',
          replaceKey: `track:${drone.id}:${event.boat.id}`,
          text: cotEvent({
            uid: `${drone.id}-${event.boat.id}`,
            type: 'a-s-S',
            time,
            staleSeconds,
            how: 'm-f',
            point: { lat: event.boat.position[1], lon: event.boat.position[0], ce: 25 },
            detail: [
              xmlElement('contact', { callsign: event.boat.id }),
              parent,
              xmlElement('track', { course: round1(event.boat.course), speed: round1(event.boat.speedMs) }),
            ],
          }),
        });
        return;
    }
  }

  private onUnitEvent(event: UnitEvent, out: SimMessage[]): void {
    const unit = event.unit;
    const time = this.stamp();
    const device = unit.device;
    if (event.type === 'position') {
      if (device.protocol === 'json') {
        this.push(out, {
          endpoint: `json:${unit.id}`,
          protocol: 'json',
          kind: 'unit-position',
          replaceKey: `position:${unit.id}`,
          text: unitPositionLine({ unit: unit.id, lat: unit.position[1], lon: unit.position[0], heading: unit.heading, speed: unit.speedMs / KNOT_MS }, time),
        });
      } else {
        const phone = this.phones.of(unit)!;
        this.sendTak(out, phone, this.phones.selfReport(phone, time, this.scenario.cot.staleSeconds * 1000, this.time), `position:${unit.id}`);
      }
      return;
    }
    if (device.protocol === 'json') {
      this.push(out, {
        endpoint: `json:${unit.id}`,
        protocol: 'json',
        kind: 'unit-ack',
        text: unitAckLine({ unit: unit.id, assignment: event.assignment, status: event.status }, time),
      });
    } else {
      const phone = this.phones.of(unit)!;
      // A phone Vigie's site does not know answers as ATAK users do, in GeoChat; the site's units with Vigie's y-a reply.
      if (phone.fieldDevice) {
        this.sendTak(out, phone, this.phones.chat(phone, ACK_CHAT[event.status], time));
        return;
      }
      this.sendTak(out, phone, {
        type: 'y-a',
        uid: device.uid,
        time,
        stale: time + this.scenario.cot.staleSeconds * 1000,
        how: 'm-g',
        lat: Math.round(unit.position[1] * 1e7) / 1e7,
        lon: Math.round(unit.position[0] * 1e7) / 1e7,
        hae: 0,
        ce: 8,
        le: 9_999_999,
        contact: { callsign: unit.callsign },
        xmlDetail: xmlElement('vigie', { status: event.status, assignment: event.assignment }),
      });
    }
  }
}

const round1 = (value: number) => Math.round(value * 10) / 10;
