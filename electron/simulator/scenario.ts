// The scenario file: what night the simulator plays — shipping lanes, ferries,
// fishing, how often boats are launched, how drones and patrols behave. JSON,
// validated with zod; a bad file stops with a message naming the line
// (syntax) or the field (content). Cross-checks against the site (sensor
// ids) happen when a simulation is built, in checkScenarioAgainstSite.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseJsonFile } from '../../shared/jsonFile';
import { UnitType } from '../../shared/domain';
import type { Site } from '../../shared/site';
import { assetsDir } from './assets';

export const scenariosDir = path.join(assetsDir, 'scenarios');
export const defaultScenarioFile = path.join(scenariosDir, 'cote-opale-night.json');
export const benchScenarioFile = path.join(scenariosDir, 'bench-2000-tracks.json');

const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'ids are 1–64 letters, digits, . _ : -');
/** [lon, lat], as in GeoJSON. */
const LonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
/** A [min, max] pair from which the simulator draws uniformly. */
const Range = (min: number, max: number) =>
  z.tuple([z.number().min(min).max(max), z.number().min(min).max(max)]).refine(([low, high]) => low <= high, 'a range is [min, max] with min ≤ max');

const Lane = z.strictObject({
  id: Id,
  name: z.string().min(1).max(80),
  /** Centre line, in the direction of travel. */
  path: z.array(LonLat).min(2),
  /** Ships keep within this distance of the centre line, metres. */
  halfWidthMeters: z.number().min(50).max(10_000),
  /** Ships in the lane at any moment (one leaving at the far end is replaced at the start). */
  vessels: z.number().int().min(0).max(10_000),
  speedKnots: Range(1, 40),
});

const FerryRoute = z.strictObject({
  id: Id,
  name: z.string().min(1).max(80),
  /** From the first port to the second; ferries shuttle back and forth. */
  route: z.array(LonLat).min(2),
  ships: z.number().int().min(0).max(50),
  speedKnots: Range(1, 40),
  /** Time alongside at each end. */
  dwellMinutes: Range(0, 600),
});

const FishingArea = z.strictObject({
  id: Id,
  center: LonLat,
  radiusMeters: z.number().min(500).max(50_000),
  boats: z.number().int().min(0).max(500),
  speedKnots: Range(0.5, 15),
});

const Transport = z.enum(['udp', 'tcp']);

const RadarOverride = z.strictObject({
  sensor: Id,
  /** NMEA over UDP datagrams or one TCP stream to the radar's listener. */
  transport: Transport.optional(),
  /** false: the radar sends only its JSON heartbeat (no targets). */
  reportTargets: z.boolean().optional(),
  tllShare: z.number().min(0).max(1).optional(),
});

const UnitTypeProfile = z
  .strictObject({
    speedKmh: z.number().positive().max(200).optional(),
    speedKnots: z.number().positive().max(100).optional(),
    /** Straight-line progress is speed ÷ this (roads wind). 1 = none. */
    detourFactor: z.number().min(1).max(5).default(1),
    /** How far along the coast either side of home the unit patrols, km. */
    patrolKm: z.number().min(0).max(100),
  })
  .refine((profile) => (profile.speedKmh === undefined) !== (profile.speedKnots === undefined), 'give exactly one of speedKmh or speedKnots');

export const Scenario = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1).max(120),
  description: z.string().max(4000).optional(),
  /** Where the simulated night starts (ISO-8601), when stamps follow simulated time (tests, `Simulation` alone). */
  startTime: z.iso.datetime({ offset: true }).default('2026-01-15T21:00:00Z'),
  coast: z
    .strictObject({
      /** Land polygon (basemap `country`) whose shoreline patrols follow. */
      country: z.string().min(2).max(3).default('FR'),
      /** Northern and southern ends of the patrolled shoreline. */
      north: LonLat,
      south: LonLat,
    })
    .default({ country: 'FR', north: [2.545, 51.09], south: [1.58, 50.37] }),
  traffic: z.strictObject({
    lanes: z.array(Lane),
    ferries: z.array(FerryRoute).default([]),
    fishing: z.array(FishingArea).default([]),
  }),
  radars: z.strictObject({
    /** Each radar reports each target in range this often, simulated seconds. */
    reportIntervalSeconds: z.number().min(0.1).max(60).default(1),
    /** Share of reports sent as $RATLL (position) instead of $RATTM (range/bearing). */
    tllShare: z.number().min(0).max(1).default(0.1),
    transport: Transport.default('udp'),
    overrides: z.array(RadarOverride).default([]),
  }),
  launches: z.strictObject({
    perHour: z.number().min(0).max(120),
    /** The first group starts gathering this long after the start (so a demo shows something at once). */
    firstAfterSeconds: z.number().min(0).max(86_400).default(60),
    /** Where the first group gathers (a sector id); later ones are drawn by risk. */
    firstSector: Id.optional(),
    riskWeights: z.strictObject({ high: z.number().min(0), medium: z.number().min(0), low: z.number().min(0) }).default({ high: 4, medium: 2, low: 1 }),
    /**
     * Share of groups that gather inside a camera's field of view, when a
     * camera sees part of the chosen beach (cameras stand where launches
     * happen). The others pick any spot of the beach.
     */
    inCameraViewShare: z.number().min(0).max(1).default(0.6),
    gatherMinutes: Range(0.5, 240),
    groupSize: Range(1, 200),
    /** A camera re-reports a gathering group this often, seconds. */
    detectionEverySeconds: z.number().min(1).max(600).default(30),
    cameraConfidence: Range(0, 1),
    optronicConfidence: Range(0, 1),
    /** An observer re-reports a boat in range this often, seconds. */
    optronicEverySeconds: z.number().min(5).max(3600).default(60),
    boatSpeedKnots: Range(1, 20),
    /** A group disperses (launch prevented) when a patrol comes this close. */
    dispersalRadiusMeters: z.number().min(0).max(5_000).default(250),
    /** Where boats head for: points off the English coast. */
    destinations: z.array(LonLat).min(1),
    /** A boat is dropped from the picture this close to its destination (picked up on the English side), metres. */
    arrivalMeters: z.number().min(100).max(20_000).default(2_000),
  }),
  drones: z.strictObject({
    speedKnots: z.number().positive().max(120).default(30),
    positionEverySeconds: z.number().min(0.5).max(60).default(2),
    altitudeMeters: z.number().min(10).max(3_000).default(120),
    transport: Transport.default('udp'),
    /** A drone on patrol is diverted to a launch at most this far away, km. */
    divertWithinKm: z.number().min(0).max(200).default(30),
    /** How long a drone follows a boat before going back to patrol. */
    followMinutes: z.number().min(0).max(600).default(12),
    patrols: z.array(z.strictObject({ sensor: Id, path: z.array(LonLat).min(2) })),
  }),
  units: z.strictObject({
    positionEverySeconds: z.number().min(0.5).max(600).default(5),
    onSceneRadiusMeters: z.number().min(10).max(5_000).default(150),
    onSceneMinutes: Range(0, 600),
    /** Patrol speed as a share of the type's speed. */
    patrolSpeedFactor: z.number().min(0).max(1).default(0.4),
    patrolPauseMinutes: Range(0, 600),
    types: z.strictObject({
      foot: UnitTypeProfile,
      'dog-team': UnitTypeProfile,
      quad: UnitTypeProfile,
      '4x4': UnitTypeProfile,
      boat: UnitTypeProfile,
      'drone-team': UnitTypeProfile,
    }),
  }),
  sensors: z
    .strictObject({
      /** Heartbeats go out every heartbeatSeconds × this, well inside the silence threshold. */
      heartbeatFraction: z.number().min(0.05).max(1).default(0.5),
      /** Sensors and units whose JSON feed uses the WebSocket listener instead of TCP. */
      websocket: z.array(Id).default([]),
      /** Sensors that go quiet for a while (exercises the silent-sensor alert). */
      silences: z.array(z.strictObject({ sensor: Id, afterMinutes: z.number().min(0), forMinutes: z.number().positive() })).default([]),
    })
    .default({ heartbeatFraction: 0.5, websocket: [], silences: [] }),
  cot: z
    .strictObject({
      /** `stale` = time + this, for positions and tracks. */
      staleSeconds: z.number().min(1).max(86_400).default(60),
    })
    .default({ staleSeconds: 60 }),
  /** Patrols with ATAK phones (docs/simulator.md#atak-phones). */
  tak: z
    .strictObject({
      /** Phones the site file does not know: the core sees unregistered devices until a supervisor registers them. */
      devices: z
        .array(
          z.strictObject({
            uid: Id,
            callsign: z.string().min(1).max(40),
            type: UnitType,
            crew: z.number().int().min(1).max(20).default(2),
            home: LonLat,
            /** What the phone speaks: CoT XML, or TAK Protocol v1 (protobuf, current ATAK's default). */
            format: z.enum(['xml', 'protobuf']).default('xml'),
            team: z.string().min(1).max(40).default('Cyan'),
            role: z.string().min(1).max(40).default('Team Member'),
          }),
        )
        .default([]),
      /** Site CoT units whose phones speak TAK Protocol v1 rather than XML. */
      protobuf: z.array(Id).default([]),
      /** A phone this close to a group gathering on a beach places a hostile or unknown point on it (once a group), metres; 0: never. */
      markWithinMeters: z.number().min(0).max(20_000).default(1_500),
      /** The night's emergency: the phone (uid) calls 911 after `afterMinutes` and cancels `cancelAfterMinutes` later. */
      emergency: z.strictObject({ device: z.string().min(1).max(64), afterMinutes: z.number().min(0), cancelAfterMinutes: z.number().positive() }).optional(),
    })
    .default({ devices: [], protobuf: [], markWithinMeters: 1_500 }),
});
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;

export class ScenarioFileError extends Error {
  override name = 'ScenarioFileError';
}

export function parseScenario(text: string, file: string): Scenario {
  return parseJsonFile(text, file, Scenario, (message) => new ScenarioFileError(message));
}

export function readScenario(file: string): Scenario {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioFileError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseScenario(text, file);
}

/** Every sensor the scenario names must exist in the site, with the right kind. */
export function checkScenarioAgainstSite(scenario: Scenario, site: Site): void {
  const problems: string[] = [];
  const kindOf = (id: string) => site.sensors.find((sensor) => sensor.id === id)?.kind;
  scenario.radars.overrides.forEach((override, index) => {
    if (kindOf(override.sensor) !== 'radar') problems.push(`radars.overrides.${index}.sensor: ${override.sensor} is not a radar of site "${site.name}"`);
  });
  scenario.drones.patrols.forEach((patrol, index) => {
    if (kindOf(patrol.sensor) !== 'drone') problems.push(`drones.patrols.${index}.sensor: ${patrol.sensor} is not a drone of site "${site.name}"`);
  });
  scenario.sensors.websocket.forEach((id, index) => {
    const unit = site.units.find((candidate) => candidate.id === id);
    const kind = kindOf(id);
    if (!(unit?.device.protocol === 'json' || (kind && kind !== 'drone')))
      problems.push(`sensors.websocket.${index}: ${id} is neither a JSON unit nor a JSON-feed sensor of the site`);
  });
  scenario.sensors.silences.forEach((silence, index) => {
    if (!kindOf(silence.sensor)) problems.push(`sensors.silences.${index}.sensor: ${silence.sensor} is not a sensor of site "${site.name}"`);
  });
  const cotUids = new Set(site.units.flatMap((unit) => (unit.device.protocol === 'cot' ? [unit.device.uid] : [])));
  scenario.tak.devices.forEach((device, index) => {
    if (cotUids.has(device.uid))
      problems.push(`tak.devices.${index}.uid: ${device.uid} is already a unit of site "${site.name}" (tak.devices are phones it does not know)`);
  });
  scenario.tak.protobuf.forEach((id, index) => {
    if (site.units.find((unit) => unit.id === id)?.device.protocol !== 'cot')
      problems.push(`tak.protobuf.${index}: ${id} is not a CoT unit of site "${site.name}"`);
  });
  const emergency = scenario.tak.emergency;
  if (emergency && !cotUids.has(emergency.device) && !scenario.tak.devices.some((device) => device.uid === emergency.device))
    problems.push(`tak.emergency.device: ${emergency.device} is neither a CoT unit's uid nor one of tak.devices`);
  if (problems.length > 0) throw new ScenarioFileError(`scenario "${scenario.name}": ${problems.join('; ')}`);
}
