// The site file: what a control-room post has — its sensors, its patrol
// units and the feed listeners. JSON, validated on load; a bad file stops
// start-up with a message naming the line (syntax) or the field (content).
// This is its schema, shared by the core (which reads the file:
// electron/core/site/siteConfig.ts) and the simulator (which plays its sensors).
import { z } from 'zod';
import type { SensorKind } from './domain';
import { UnitType } from './domain';

const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'ids are 1–64 letters, digits, . _ : -');
const Port = z.number().int().min(0).max(65_535);
/** [lon, lat], as in GeoJSON. */
const Position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

const sensorBase = {
  id: Id,
  name: z.string().min(1).max(80),
  position: Position,
  /** Seconds without a word from the sensor before it counts as silent. */
  heartbeatSeconds: z.number().positive().max(3600),
  /** When set, the sensor must present it (JSON feed `hello`) before anything it sends is accepted. */
  secret: z.string().min(16).max(256).optional(),
  /** CoT uids this sensor reports under (its own uid, or the parent uid in <link>). */
  cotUids: z.array(z.string().min(1).max(128)).optional(),
};

export const SiteSensor = z.discriminatedUnion('kind', [
  z.strictObject({ ...sensorBase, kind: z.literal('radar'), rangeMeters: z.number().positive().max(100_000) }),
  z.strictObject({
    ...sensorBase,
    kind: z.literal('camera'),
    /** Direction the camera looks, degrees true. */
    bearing: z.number().min(0).max(360),
    fieldOfView: z.number().positive().max(360),
    rangeMeters: z.number().positive().max(30_000),
  }),
  z.strictObject({ ...sensorBase, kind: z.literal('drone'), footprintMeters: z.number().positive().max(10_000) }),
  z.strictObject({ ...sensorBase, kind: z.literal('optronic'), rangeMeters: z.number().positive().max(30_000) }),
  /** A shore AIS receiver; rangeMeters is how far it usually hears ships (VHF: 20–40 NM). */
  z.strictObject({ ...sensorBase, kind: z.literal('ais'), rangeMeters: z.number().positive().max(200_000) }),
]);
export type SiteSensor = z.infer<typeof SiteSensor>;
// Kept in step with the feed model's list of kinds.
const _kindsMatch: SiteSensor['kind'] extends SensorKind ? true : never = true;
void _kindsMatch;

export const SiteUnit = z.strictObject({
  id: Id,
  callsign: z.string().min(1).max(40),
  type: UnitType,
  crew: z.number().int().min(0).max(50),
  /** Where the unit starts its shift. */
  home: Position,
  /** How the unit's terminal talks: Vigie JSON lines, or Cursor-on-Target under this uid. */
  device: z.discriminatedUnion('protocol', [
    z.strictObject({ protocol: z.literal('json') }),
    z.strictObject({ protocol: z.literal('cot'), uid: z.string().min(1).max(128) }),
  ]),
});
export type SiteUnit = z.infer<typeof SiteUnit>;

/** `GROUP:PORT`, an IPv4 multicast group (224.0.0.0/4) and a UDP port. */
const MulticastEndpoint = z
  .string()
  .regex(/^(22[4-9]|23\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}:([1-9]\d{0,4})$/, 'a multicast GROUP:PORT, e.g. 239.2.3.1:6969')
  .refine((endpoint) => Number(endpoint.split(':')[1]) <= 65535, 'the port is at most 65535');

export const SiteListeners = z.strictObject({
  /** Interface the feed listeners bind to; loopback unless the site says otherwise. */
  host: z.string().default('127.0.0.1'),
  cot: z.strictObject({
    udp: Port,
    tcp: Port,
    /** Shorthand for `mesh: {}`: join the TAK mesh groups with their defaults. */
    multicast: z.boolean().default(false),
    /** The TAK mesh (docs/tak.md#the-mesh): the SA and chat multicast groups, joined on one interface. */
    mesh: z
      .strictObject({
        /** The IPv4 address of the interface the groups are joined on (e.g. the post's radio LAN); absent: the system's choice. */
        interface: z.ipv4().optional(),
        /** ATAK's situational awareness group: self-reports, points, emergencies. */
        sa: MulticastEndpoint.default('239.2.3.1:6969'),
        /** ATAK's All Chat Rooms group. */
        chat: MulticastEndpoint.default('224.10.10.1:17012'),
      })
      .optional(),
  }),
  /** One NMEA listener per radar: NMEA sentences do not say which radar sent them. */
  nmea: z.array(z.strictObject({ sensor: Id, udp: Port, tcp: Port })),
  /** One AIS listener per receiver (NMEA 0183 !xxVDM/!xxVDO lines, UDP datagrams or a TCP stream), as for radars. */
  ais: z.array(z.strictObject({ sensor: Id, udp: Port, tcp: Port })).optional(),
  json: z.strictObject({ tcp: Port, ws: Port }),
  /** Most messages accepted per second from one source (address); the rest are counted and dropped. */
  perSourceRate: z.number().int().positive().default(5_000),
});
export type SiteListeners = z.infer<typeof SiteListeners>;

/** An absolute path: a backup folder must not depend on where the core was started from. */
const AbsolutePath = z.string().regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'an absolute path (/mnt/backup, D:\\Vigie, \\\\server\\share)');

/**
 * A backup the core takes by itself (docs/backup.md): the database copied to
 * `to` (a folder on another disk) daily at a local time (`at`, "HH:MM") or
 * every `everyMinutes`. The previous copy there is replaced once the new one
 * is complete.
 */
export const SiteBackup = z
  .strictObject({
    to: AbsolutePath,
    at: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time, HH:MM')
      .optional(),
    everyMinutes: z.number().int().min(1).max(10_080).optional(),
  })
  .refine((backup) => (backup.at === undefined) !== (backup.everyMinutes === undefined), { message: 'give either at (HH:MM) or everyMinutes, not both' });
export type SiteBackup = z.infer<typeof SiteBackup>;

/** A post's name on the uplink: a NATS subject token and part of a stream name (docs/federation.md). */
export const PostName = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a post name is 1–32 letters, digits, _ or -');

const SIZE_UNITS = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 } as const;

/** A size in bytes: a whole number, or a number with K, M, G or T (powers of 1,024, as nats-server reads its own limits): "200G". */
export const ByteSize = z
  .union([z.number(), z.string()])
  .transform((value, context) => {
    const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)([KMGT]?)$/i.exec(value) : null;
    if (typeof value === 'number' ? !Number.isInteger(value) : !match) {
      context.addIssue({ code: 'custom', message: 'a size: bytes, or a number with K, M, G or T (e.g. 200G)' });
      return z.NEVER;
    }
    return match ? Math.round(Number(match[1]) * SIZE_UNITS[match[2]!.toUpperCase() as keyof typeof SIZE_UNITS]) : (value as number);
  })
  .pipe(z.number().min(1024 ** 2, 'at least 1M'));

/**
 * The post's uplink to the regional centre (docs/federation.md): its log
 * published to a NATS JetStream stream. The command line's --post-name and
 * --uplink… options override these.
 */
export const SiteUplink = z.strictObject({
  post: PostName,
  /** nats://HOST:PORT or tls://HOST:PORT; several separated by commas (a cluster). */
  url: z.string().regex(/^(nats|tls):\/\/[^\s]+$/, 'nats://HOST:PORT or tls://HOST:PORT'),
  /** A NATS .creds file (JWT and nkey seed). */
  creds: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  /** PEM file of the certificate authority that signed the server's certificate. */
  ca: z.string().min(1).optional(),
  /** Client certificate and key (PEM files), when the server asks for one. */
  cert: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  /** Posts whose units and open incidents this post shows, read-only, through the centre (docs/federation.md#neighbours). */
  neighbours: z.array(PostName).max(32).optional(),
  /** Copies of the post's stream on the cluster's servers (docs/scale.md): 3 on a three-node cluster. */
  replicas: z.number().int('a whole number').min(1, 'at least 1').max(5, 'at most 5 (JetStream keeps up to 5 copies)').optional(),
  /** A cap on the post's stream; full, the server refuses new messages and the post's log keeps them (docs/scale.md). */
  maxBytes: ByteSize.optional(),
});
export type SiteUplink = z.infer<typeof SiteUplink>;

export const Site = z
  .strictObject({
    version: z.literal(1),
    name: z.string().min(1).max(120),
    listeners: SiteListeners,
    sensors: z.array(SiteSensor).min(1),
    units: z.array(SiteUnit),
    /** Seconds an alert may wait unacknowledged before it escalates. */
    escalateAfterSeconds: z.number().positive().default(120),
    /** A high-risk sector with no available unit within this many minutes is flagged. */
    coverageEtaMinutes: z.number().positive().max(240).default(15),
    /** How often the core signs its chain head while the log moves (docs/evidence.md#signed-heads); default 5. */
    signHeadsEveryMinutes: z.number().int().min(1).max(1440).optional(),
    /** Scheduled backups of the log (docs/backup.md); absent: none. */
    backups: z.array(SiteBackup).optional(),
    /**
     * Archive and prune (docs/archive.md): once a day the core moves every
     * whole block older than `archiveAfterDays` into one archive file in
     * `folder` (relative to the data directory), and gives the space back.
     */
    retention: z
      .strictObject({
        archiveAfterDays: z.number().int().min(1).max(3650),
        folder: z.string().min(1).max(500).default('archives'),
      })
      .optional(),
    /** Radar tracks inside this band off the coast (nautical miles) are watched for dark contacts (docs/fusion.md); at most 10, within the reach of the sector index's offshore search (20 km). */
    coastalBandNm: z.number().positive().max(10).optional(),
    /** Publish the log to the regional centre (docs/federation.md); absent: no uplink. */
    uplink: SiteUplink.optional(),
  })
  .superRefine((site, context) => {
    const seen = new Map<string, string>();
    site.sensors.forEach((sensor, index) => {
      if (seen.has(sensor.id)) context.addIssue({ code: 'custom', path: ['sensors', index, 'id'], message: `duplicate id ${sensor.id}` });
      seen.set(sensor.id, 'sensor');
    });
    site.units.forEach((unit, index) => {
      if (seen.has(unit.id)) context.addIssue({ code: 'custom', path: ['units', index, 'id'], message: `duplicate id ${unit.id}` });
      seen.set(unit.id, 'unit');
    });
    site.listeners.nmea.forEach((listener, index) => {
      const sensor = site.sensors.find((candidate) => candidate.id === listener.sensor);
      if (!sensor || sensor.kind !== 'radar')
        context.addIssue({ code: 'custom', path: ['listeners', 'nmea', index, 'sensor'], message: `${listener.sensor} is not a radar of this site` });
    });
    (site.listeners.ais ?? []).forEach((listener, index) => {
      const sensor = site.sensors.find((candidate) => candidate.id === listener.sensor);
      if (!sensor || sensor.kind !== 'ais')
        context.addIssue({ code: 'custom', path: ['listeners', 'ais', index, 'sensor'], message: `${listener.sensor} is not an AIS receiver of this site` });
    });
  });
export type Site = z.infer<typeof Site>;

/** The coastal band watched for dark contacts when the site file does not say (nautical miles). */
export const DEFAULT_COASTAL_BAND_NM = 6;
