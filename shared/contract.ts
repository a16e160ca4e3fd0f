// The one contract between the core and every console: each request the
// renderer can make and each event the core pushes, as zod schemas. Types are
// inferred from them, and both ends validate what they receive, so nothing
// restates a method name or a payload shape by hand.
import { z } from 'zod';
import { AlertKind, FeedProtocol, Outcome, Role, SensorHealth, SensorKind, Severity, TrackClass, UnitStatus, UnitType } from './domain';

// ---------------------------------------------------------------------------
// Domain shapes

export const Longitude = z.number().min(-180).max(180);
export const Latitude = z.number().min(-90).max(90);
/** GeoJSON order: [lon, lat]. */
export const Position = z.tuple([Longitude, Latitude]);

export const RiskLevel = z.enum(['low', 'medium', 'high']);
export type RiskLevel = z.infer<typeof RiskLevel>;

export const Sector = z.object({
  id: z.string().regex(/^S\d{2,3}$/, 'sector id is S followed by digits'),
  name: z.string().min(1).max(80),
  risk: RiskLevel,
  order: z.number().int().positive(),
  /** Exterior ring, closed, [lon, lat]. */
  ring: z.array(Position).min(4),
});
export type Sector = z.infer<typeof Sector>;

export const SensorView = z.object({
  id: z.string(),
  kind: SensorKind,
  name: z.string(),
  /** [lon, lat] */
  position: Position,
  /** Radar and optronic range, camera depth of view, drone footprint radius, metres. */
  rangeMeters: z.number(),
  /** Cameras: direction and width of the field of view, degrees. */
  bearing: z.number().optional(),
  fieldOfView: z.number().optional(),
  health: SensorHealth,
  lastSeen: z.number().int().nullable(),
});
export type SensorView = z.infer<typeof SensorView>;

export const UnitView = z.object({
  id: z.string(),
  callsign: z.string(),
  type: UnitType,
  crew: z.number().int(),
  status: UnitStatus,
  assignment: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  heading: z.number().nullable(),
  speed: z.number().nullable(),
  fixTime: z.number().int().nullable(),
});
export type UnitView = z.infer<typeof UnitView>;

export const TrackView = z.object({
  id: z.string(),
  sensor: z.string(),
  cls: TrackClass,
  lat: z.number(),
  lon: z.number(),
  course: z.number().nullable(),
  speed: z.number().nullable(),
  sector: z.string().nullable(),
  time: z.number().int(),
  stale: z.number().int().nullable(),
});
export type TrackView = z.infer<typeof TrackView>;

export const AlertView = z.object({
  id: z.string(),
  kind: AlertKind,
  severity: Severity,
  sensor: z.string(),
  subject: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  sector: z.string().nullable(),
  confidence: z.number().nullable(),
  count: z.number().int().nullable(),
  time: z.number().int(),
  /** new → acknowledged (into an incident) → closed with its incident. */
  status: z.enum(['new', 'acknowledged', 'closed']),
  /** Not acknowledged within the site's escalation time. */
  escalated: z.boolean(),
  incident: z.string().nullable(),
});
export type AlertView = z.infer<typeof AlertView>;

/** One unit sent to an incident, with the time of each step. */
export const AssignmentView = z.object({
  id: z.string(),
  unit: z.string(),
  status: UnitStatus,
  assignedAt: z.number().int(),
  enRouteAt: z.number().int().nullable(),
  onSceneAt: z.number().int().nullable(),
  clearedAt: z.number().int().nullable(),
});
export type AssignmentView = z.infer<typeof AssignmentView>;

/** A note added to an incident while it was open. */
export const IncidentNote = z.object({ time: z.number().int(), operator: z.string().nullable(), text: z.string() });
export type IncidentNote = z.infer<typeof IncidentNote>;

export const IncidentView = z.object({
  id: z.string(),
  status: z.enum(['open', 'closed']),
  lat: z.number(),
  lon: z.number(),
  sector: z.string().nullable(),
  alerts: z.array(z.string()),
  assignments: z.array(AssignmentView),
  openedAt: z.number().int(),
  closedAt: z.number().int().nullable(),
  outcome: Outcome.nullable(),
  /** The closing notes. */
  notes: z.string(),
  /** Notes added while it was open, oldest first. */
  noteLog: z.array(IncidentNote),
});
export type IncidentView = z.infer<typeof IncidentView>;

/** Feed counters per source (protocol + transport + remote address). */
export const FeedSourceStats = z.object({
  source: z.string(),
  protocol: FeedProtocol,
  accepted: z.number().int(),
  /** Rejected messages by reason (all of them are in the quarantine). */
  rejected: z.record(z.string(), z.number().int()),
  /** Messages dropped or held back by the per-source rate limit. */
  throttled: z.number().int(),
});
export type FeedSourceStats = z.infer<typeof FeedSourceStats>;

export const FeedListenerView = z.object({ name: z.string(), protocol: FeedProtocol, transport: z.enum(['udp', 'tcp', 'ws']), host: z.string(), port: z.number().int(), sensor: z.string().optional() });
export type FeedListenerView = z.infer<typeof FeedListenerView>;

/**
 * Whether the log can be written (docs/faults.md). `problem` set: feed ingest is paused (TCP and
 * WebSocket sources held back, UDP datagrams refused and counted in `refused`) until the waiting block commits.
 */
export const StorageStatus = z.object({
  problem: z.enum(['disk-full', 'locked']).nullable(),
  since: z.number().int().nullable(),
  /** Accepted messages waiting for the log. */
  waiting: z.number().int(),
  /** UDP datagrams refused while paused, since the core started. */
  refused: z.number().int(),
});
export type StorageStatus = z.infer<typeof StorageStatus>;

export const FeedsStatus = z.object({
  listeners: z.array(FeedListenerView),
  sources: z.array(FeedSourceStats),
  quarantined: z.number().int(),
  storage: StorageStatus.optional(),
});
export type FeedsStatus = z.infer<typeof FeedsStatus>;

export const QuarantineEntry = z.object({
  id: z.number().int(),
  time: z.number().int(),
  protocol: z.string(),
  source: z.string(),
  reason: z.string(),
  detail: z.string(),
  /** The raw bytes, as text where they are text (escaped), truncated for display. */
  preview: z.string(),
  bytes: z.number().int(),
});
export type QuarantineEntry = z.infer<typeof QuarantineEntry>;

/** Names of event kinds and sources: short, printable, no separators. */
const LogName = z.string().regex(/^[a-z0-9][a-z0-9._:/-]{0,127}$/i);

export const LoggedEvent = z.object({
  seq: z.number().int().positive(),
  time: z.number().int(),
  kind: LogName,
  source: LogName,
  operator: z.string().nullable(),
  payload: z.unknown(),
});
export type LoggedEvent = z.infer<typeof LoggedEvent>;

export const LogStatus = z.object({
  events: z.number().int().nonnegative(),
  lastSeq: z.number().int().nonnegative(),
  blocks: z.number().int().nonnegative(),
  /** Hex SHA-256 of the newest block: quote it to anchor the log externally. */
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type LogStatus = z.infer<typeof LogStatus>;

// --- Map packs (issue 6) ---
// MBTiles and PMTiles files from the maps folder or opened by path (docs/maps.md).

export const MapPackProblem = z.object({ code: z.string(), message: z.string() });
export type MapPackProblem = z.infer<typeof MapPackProblem>;

export const MapPackView = z.object({
  /** Stable per file path; tiles are at `${tilePath}/${id}/{z}/{x}/{y}`. */
  id: z.string().regex(/^[0-9a-f]{16}$/),
  /** The pack's metadata name, or its file name. */
  name: z.string(),
  file: z.string(),
  path: z.string(),
  source: z.enum(['folder', 'opened']),
  kind: z.enum(['mbtiles', 'pmtiles']),
  /** ok: drawn; unsupported: read but not drawn (vector tiles); error: unusable (see problem). */
  status: z.enum(['ok', 'unsupported', 'error']),
  problem: MapPackProblem.nullable(),
  warnings: z.array(MapPackProblem),
  format: z.enum(['png', 'jpg', 'webp', 'avif', 'pbf']).nullable(),
  minZoom: z.number().int().nullable(),
  maxZoom: z.number().int().nullable(),
  /** [west, south, east, north] */
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  attribution: z.string().nullable(),
  bytes: z.number().int().nonnegative(),
});
export type MapPackView = z.infer<typeof MapPackView>;

export const MapPackList = z.object({
  folder: z.string(),
  folderProblem: z.string().nullable(),
  /** Per-launch tile address prefix (a capability for tiles only, never the API secret). */
  tilePath: z.string().regex(/^\/maps\/[0-9a-f]{32}$/),
  /** The remembered base map, null for the bundled coast. */
  chosen: z.string().nullable(),
  packs: z.array(MapPackView),
});
export type MapPackList = z.infer<typeof MapPackList>;

const mapPackRequests = {
  /** Every pack (rescans the maps folder), the remembered choice and the tile address prefix. */
  'maps.list': { params: z.object({}).strict(), result: MapPackList },
  /** Registers a pack file by path (nothing is copied); refused with the file's problem. */
  'maps.open': { params: z.object({ path: z.string().min(1).max(4096) }).strict(), result: z.object({ pack: MapPackView }) },
  /** Forgets a pack opened by path. */
  'maps.forget': { params: z.object({ id: z.string().max(64) }).strict(), result: z.object({ forgotten: z.boolean() }) },
  /** The base map every console shows (null: the bundled coast); remembered across restarts. */
  'maps.choose': { params: z.object({ id: z.string().max(64).nullable() }).strict(), result: z.object({ chosen: z.string().nullable() }) },
} as const;
// --- end of map packs (issue 6) ---

// --- Figures (issue 5) ---
// Evaluation figures over a time range [from, to), computed from the log
// (electron/core/figures/figures.ts; every definition is in docs/figures.md).
// Durations are milliseconds; shares are fractions 0–1, null when undefined.

const FIGURES_MAX_RANGE_MS = 366 * 24 * 3600 * 1000;
export const FigureRange = z
  .object({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() })
  .strict()
  .refine((range) => range.to > range.from, { message: 'to must be after from', path: ['to'] })
  .refine((range) => range.to - range.from <= FIGURES_MAX_RANGE_MS, { message: 'at most 366 days at a time', path: ['to'] });
export type FigureRange = z.infer<typeof FigureRange>;

/** One measured time: samples, nearest-rank median and 90th percentile, and those begun in the range but not ended within it. */
export const DurationFigures = z.object({
  count: z.number().int().nonnegative(),
  medianMs: z.number().nonnegative().nullable(),
  p90Ms: z.number().nonnegative().nullable(),
  incomplete: z.number().int().nonnegative(),
});
export type DurationFigures = z.infer<typeof DurationFigures>;

export const Figures = z.object({
  from: z.number().int(),
  to: z.number().int(),
  /** min(to, now): where the observed part of the range ends. */
  until: z.number().int(),
  alerts: z.object({
    total: z.number().int().nonnegative(),
    byKind: z.array(z.object({ kind: AlertKind, count: z.number().int().positive() })),
    /** sector null: raised outside every sector (open sea, sensor health). */
    bySector: z.array(z.object({ sector: z.string().nullable(), name: z.string().nullable(), total: z.number().int().positive(), byKind: z.array(z.object({ kind: AlertKind, count: z.number().int().positive() })) })),
  }),
  times: z.object({ acknowledge: DurationFigures, dispatch: DurationFigures, arrive: DurationFigures }),
  incidents: z.object({
    opened: z.number().int().nonnegative(),
    closed: z.number().int().nonnegative(),
    /** Opened in the range and not closed by `until`. */
    stillOpen: z.number().int().nonnegative(),
    byOutcome: z.array(z.object({ outcome: Outcome, count: z.number().int().nonnegative() })),
    interceptedOrPrevented: z.number().int().nonnegative(),
    /** (intercepted + prevented) / closed. */
    share: z.number().min(0).max(1).nullable(),
    /** (intercepted + prevented) / (intercepted + prevented + handed to rescue): among confirmed crossing attempts. */
    shareOfAttempts: z.number().min(0).max(1).nullable(),
  }),
  units: z.object({
    /** until − from: the time each unit could have been committed. */
    observedMs: z.number().int().nonnegative(),
    /** Committed time of all units / (units × observedMs). */
    overall: z.number().min(0).max(1).nullable(),
    list: z.array(z.object({ unit: z.string(), callsign: z.string().nullable(), type: UnitType.nullable(), assignments: z.number().int().nonnegative(), committedMs: z.number().int().nonnegative(), share: z.number().min(0).max(1).nullable() })),
  }),
});
export type Figures = z.infer<typeof Figures>;

const figureRequests = {
  /** The figures of a time range (a shift is its time range; see docs/figures.md). */
  'figures.get': { params: FigureRange, result: Figures },
  /** The same figures as one RFC 4180 CSV (header row, a `table` column; CRLF line ends). */
  'figures.csv': { params: FigureRange, result: z.object({ csv: z.string() }) },
} as const;
// --- end of figures (issue 5) ---

// ---------------------------------------------------------------------------
// Requests: method name → params and result.

// --- Accounts, sign-in and shifts (issue 5) ---
const OperatorName = z.string().min(1).max(64);
const Password = z.string().min(1).max(1024);

export const ShiftView = z.object({
  id: z.number().int(),
  openedAt: z.number().int(),
  openedBy: z.string(),
  closedAt: z.number().int().nullable(),
  closedBy: z.string().nullable(),
  handover: z.string().nullable(),
  firstSeq: z.number().int(),
  lastSeq: z.number().int().nullable(),
});
export type ShiftView = z.infer<typeof ShiftView>;

export const SessionView = z.object({ name: z.string(), role: Role, shift: ShiftView });
export type SessionView = z.infer<typeof SessionView>;

export const AccountView = z.object({ name: z.string(), role: Role, createdAt: z.number().int(), createdBy: z.string().nullable() });
export type AccountView = z.infer<typeof AccountView>;

const accountRequests = {
  /** First run: no account exists yet, the console asks for the first supervisor. */
  'setup.status': { params: z.object({}).strict(), result: z.object({ needsFirstSupervisor: z.boolean() }) },
  /** Creates the first supervisor; refused once any account exists. */
  'setup.createSupervisor': { params: z.object({ name: OperatorName, password: Password }).strict(), result: z.object({ name: z.string() }) },
  /** Signs in: opens a shift, or joins the open one. Wrong passwords are slowed down and logged. */
  'session.signIn': { params: z.object({ name: OperatorName, password: Password }).strict(), result: SessionView.extend({ session: z.string() }) },
  'session.current': { params: z.object({}).strict(), result: SessionView },
  'session.signOut': { params: z.object({}).strict(), result: z.object({ signedOut: z.boolean() }) },
  'shift.current': { params: z.object({}).strict(), result: z.object({ shift: ShiftView.nullable() }) },
  /** Shifts, newest first (for replay and figures). */
  'shift.list': { params: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(), result: z.object({ shifts: z.array(ShiftView) }) },
  /** Closes the open shift with a handover note; everyone on it is signed out. */
  'shift.close': { params: z.object({ handover: z.string().trim().min(1).max(8000) }).strict(), result: ShiftView },
  'user.list': { params: z.object({}).strict(), result: z.object({ accounts: z.array(AccountView) }) },
  /** One incident or one shift as an evidence file (JSON text; `vigie verify FILE` checks it anywhere). */
  'evidence.export': {
    params: z.union([z.object({ incident: z.string().min(1).max(64) }).strict(), z.object({ shift: z.number().int().positive() }).strict()]),
    result: z.object({ fileName: z.string(), content: z.string() }),
  },
  'user.add': { params: z.object({ name: OperatorName, role: Role, password: Password }).strict(), result: AccountView },
} as const;
// --- end of accounts (issue 5) ---

// --- Replay (issue 5) ---
// A shift replayed from the log (electron/core/replay, docs/replay.md): its
// timeline, and the picture at any moment of it, rebuilt by the live
// projection code. Each console has its own replay cursor in the core.

/** What the hash chain says, checked by walking the whole log (vigie verify). */
export const ReplayChain = z.object({
  ok: z.boolean(),
  events: z.number().int().nonnegative(),
  blocks: z.number().int().nonnegative(),
  headHash: z.string().nullable(),
  /** The first event that does not match the chain, and why (null when intact). */
  firstBadSeq: z.number().int().nullable(),
  reason: z.string().nullable(),
  /** Whether the break is at or before the shift's last event (so it touches what this shift's replay shows). */
  affectsShift: z.boolean(),
});
export type ReplayChain = z.infer<typeof ReplayChain>;

export const ReplayTimeline = z.object({
  shift: ShiftView,
  /** The shift's first and last moments (an open shift: its newest event so far), ms. */
  from: z.number().int(),
  to: z.number().int(),
  firstSeq: z.number().int(),
  lastSeq: z.number().int(),
  /** Alerts raised during the shift, oldest first: the timeline's marks. */
  alerts: z.array(z.object({ id: z.string(), time: z.number().int(), seq: z.number().int(), kind: AlertKind, severity: Severity })),
  /** Events logged per bucket of `bucketMs` from `from`: the activity density. */
  density: z.object({ bucketMs: z.number().int().positive(), counts: z.array(z.number().int().nonnegative()) }),
});
export type ReplayTimeline = z.infer<typeof ReplayTimeline>;

export const ReplayPicture = z.object({
  sectors: z.array(Sector),
  sensors: z.array(SensorView),
  units: z.array(UnitView),
  tracks: z.array(TrackView),
  alerts: z.array(AlertView),
  incidents: z.array(IncidentView),
});
export type ReplayPicture = z.infer<typeof ReplayPicture>;

const replayRequests = {
  /** A shift's span, alert marks and activity density. */
  'replay.timeline': { params: z.object({ shift: z.number().int().positive(), buckets: z.number().int().min(10).max(2000).default(240) }).strict(), result: ReplayTimeline },
  /**
   * The picture at a moment of a shift: after every event logged at or before
   * `time`, or up to event `seq` (one of the two; clamped to the shift).
   */
  'replay.at': {
    params: z
      .object({ shift: z.number().int().positive(), time: z.number().int().optional(), seq: z.number().int().nonnegative().optional() })
      .strict()
      .refine((p) => (p.time === undefined) !== (p.seq === undefined), { message: 'give time or seq (one of them)' }),
    result: z.object({ shift: z.number().int(), time: z.number().int(), seq: z.number().int(), picture: ReplayPicture }),
  },
  /** Walks the hash chain (the whole log, as vigie verify): a broken shift is shown as broken. */
  'replay.verify': { params: z.object({ shift: z.number().int().positive() }).strict(), result: ReplayChain },
  /** Drops this console's replay cursor (leaving replay mode). */
  'replay.close': { params: z.object({}).strict(), result: z.object({ closed: z.boolean() }) },
} as const;
// --- end of replay (issue 5) ---

// --- Sector editor (issue 6) ---
// Supervisors rename, re-rate, redraw, import and export the beach sectors.
// Each change is a `sector.defined` event (the whole new definition, with the
// supervisor in the operator column); an invalid ring is refused with a reason.
const sectorEditorRequests = {
  /** Rename, set the risk level or redraw one sector (at least one of the three). */
  'sectors.update': {
    params: z
      .object({ id: Sector.shape.id, name: z.string().trim().min(1).max(80).optional(), risk: RiskLevel.optional(), ring: z.array(z.array(z.number()).length(2)).min(1).max(1001).optional() })
      .strict()
      .refine((p) => p.name !== undefined || p.risk !== undefined || p.ring !== undefined, { message: 'give a name, a risk level or a ring' }),
    result: z.object({ sector: Sector, changed: z.boolean() }),
  },
  /** A FeatureCollection in the shape of assets/sectors.geojson; any invalid feature refuses the whole import. */
  'sectors.import': {
    params: z.object({ geojson: z.string().min(1).max(5_000_000) }).strict(),
    result: z.object({ changed: z.array(Sector.shape.id), unchanged: z.number().int().nonnegative() }),
  },
  /** The current sectors as GeoJSON (the shape sectors.import reads). */
  'sectors.export': { params: z.object({}).strict(), result: z.object({ geojson: z.string() }) },
} as const;
const sectorEditorEvents = {
  /** The sectors after an edit or import: all of them, in order. */
  'sectors.changed': z.object({ sectors: z.array(Sector) }),
} as const;
// --- end of sector editor (issue 6) ---

export const requests = {
  ...mapPackRequests,
  ...accountRequests,
  ...figureRequests, // Figures (issue 5)
  ...replayRequests, // Replay (issue 5)
  ...sectorEditorRequests, // Sector editor (issue 6)
  'core.hello': {
    params: z.object({}).strict(),
    result: z.object({
      product: z.literal('vigie'),
      version: z.string(),
      protocol: z.literal(1),
      startedAt: z.number().int(),
    }),
  },
  'picture.get': {
    params: z.object({}).strict(),
    result: z.object({
      sectors: z.array(Sector),
      sensors: z.array(SensorView),
      units: z.array(UnitView),
      tracks: z.array(TrackView),
      /** Open alerts (not closed), newest first. */
      alerts: z.array(AlertView),
      /** Open incidents. */
      incidents: z.array(IncidentView),
      log: LogStatus,
    }),
  },
  'feeds.status': {
    params: z.object({}).strict(),
    result: FeedsStatus,
  },
  /** Where the feed listeners are — all that a device or the simulator needs, so it takes the secret but no sign-in. */
  'feeds.listeners': {
    params: z.object({}).strict(),
    result: FeedsStatus.pick({ listeners: true }),
  },
  'quarantine.list': {
    params: z.object({ limit: z.number().int().min(1).max(500), source: z.string().optional(), reason: z.string().optional() }).strict(),
    result: z.object({ entries: z.array(QuarantineEntry) }),
  },
  /** Acknowledge an alert: it opens a new incident, or joins the one given. */
  'alert.acknowledge': {
    params: z.object({ alert: z.string().min(1).max(64), incident: z.string().min(1).max(64).optional() }).strict(),
    result: z.object({ incident: z.string(), opened: z.boolean() }),
  },
  /** Open incidents an alert probably belongs to: near in space and time, seen by another sensor. */
  'alert.mergeCandidates': {
    params: z.object({ alert: z.string().min(1).max(64) }).strict(),
    result: z.object({ candidates: z.array(z.object({ incident: z.string(), meters: z.number(), seconds: z.number() })) }),
  },
  /** Send a unit to an incident; its device is told through the outbound feed. A unit already committed needs `override`. */
  'dispatch.assign': {
    params: z.object({ incident: z.string().min(1).max(64), unit: z.string().min(1).max(64), override: z.boolean().optional() }).strict(),
    result: z.object({ assignment: z.string(), delivered: z.boolean() }),
  },
  /** Units ranked by estimated time of arrival at an incident (docs/dispatch.md explains the model). */
  'dispatch.rank': {
    params: z.object({ incident: z.string().min(1).max(64) }).strict(),
    result: z.object({
      units: z.array(
        z.object({
          unit: z.string(),
          callsign: z.string(),
          type: UnitType,
          status: UnitStatus,
          /** Free to send without an override. */
          available: z.boolean(),
          /** The incident it is committed to, when it is. */
          committedTo: z.string().nullable(),
          reachable: z.boolean(),
          meters: z.number().nullable(),
          seconds: z.number().nullable(),
          mode: z.enum(['land', 'sea', 'to-shore']),
          note: z.string().nullable(),
        }),
      ),
    }),
  },
  /** The operator muted or unmuted the alert sounds (a logged action). */
  'console.setMute': {
    params: z.object({ muted: z.boolean() }).strict(),
    result: z.object({ muted: z.boolean() }),
  },
  /** High-risk sectors with no available unit within the site's coverage time. */
  'coverage.get': {
    params: z.object({}).strict(),
    result: z.object({ thresholdSeconds: z.number(), gaps: z.array(z.object({ sector: z.string(), bestSeconds: z.number().nullable() })) }),
  },
  /** A status set from the console (en route, on scene, cleared) for a unit on an assignment. */
  'dispatch.setStatus': {
    params: z.object({ unit: z.string().min(1).max(64), status: z.enum(['en-route', 'on-scene', 'cleared']) }).strict(),
    result: z.object({ delivered: z.boolean() }),
  },
  /** Adds a note to an open incident (logged with the operator). */
  'incident.addNote': {
    params: z.object({ incident: z.string().min(1).max(64), text: z.string().trim().min(1).max(2000) }).strict(),
    result: z.object({ time: z.number().int() }),
  },
  /** Close an incident with its outcome; its units are cleared and its alerts closed. */
  'incident.close': {
    params: z.object({ incident: z.string().min(1).max(64), outcome: Outcome, notes: z.string().max(4000) }).strict(),
    result: z.object({ closedAt: z.number().int() }),
  },
  'log.tail': {
    params: z.object({ limit: z.number().int().min(1).max(500) }).strict(),
    result: z.object({ events: z.array(LoggedEvent) }),
  },
} as const;

export type RequestName = keyof typeof requests;
export type RequestParams<M extends RequestName> = z.infer<(typeof requests)[M]['params']>;
export type RequestResult<M extends RequestName> = z.infer<(typeof requests)[M]['result']>;

// ---------------------------------------------------------------------------
// Events the core pushes to every connected console.

export const events = {
  ...sectorEditorEvents, // Sector editor (issue 6)
  /** New events were committed to the log (the blocks of the last ~100 ms, together). */
  'log.appended': z.object({
    fromSeq: z.number().int().positive(),
    toSeq: z.number().int().positive(),
    kinds: z.array(LogName),
    status: LogStatus,
  }),
  /** What changed in the picture since the last delta (coalesced, at most ~10 per second). */
  'picture.delta': z.object({
    incidents: z.array(IncidentView),
    units: z.array(UnitView),
    tracks: z.array(TrackView),
    tracksRemoved: z.array(z.string()),
    alerts: z.array(AlertView),
    sensors: z.array(SensorView),
  }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

// ---------------------------------------------------------------------------
// Wire frames on the WebSocket (and the body of HTTP calls).

export const PROTOCOL_VERSION = 1 as const;
/** WebSocket subprotocol the core speaks; the secret travels as a second one. */
export const WS_SUBPROTOCOL = 'vigie.v1';
export const WS_TOKEN_PREFIX = 'vigie.token.';

export const RequestFrame = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  params: z.unknown(),
  /** The sign-in's session token (HTTP: the x-vigie-session header). */
  session: z.string().max(128).optional(),
});
export type RequestFrame = z.infer<typeof RequestFrame>;

export const ErrorBody = z.object({
  /** unauthorized: the console's secret is wrong; unauthenticated: nobody signed in; forbidden: not for this role. */
  code: z.enum(['bad-request', 'unknown-method', 'internal', 'unauthorized', 'unauthenticated', 'forbidden', 'refused']),
  message: z.string(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const ResponseFrame = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(false), error: ErrorBody }),
]);
export type ResponseFrame = z.infer<typeof ResponseFrame>;

export const EventFrame = z.object({
  type: z.literal('event'),
  name: z.string(),
  payload: z.unknown(),
});
export type EventFrame = z.infer<typeof EventFrame>;

export const ServerFrame = z.union([ResponseFrame, EventFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;

export function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(requests, name);
}
export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}

/** One readable line from a zod error: "params.limit: Too big: expected…". */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
