// Evaluation figures for a time range [from, to), computed from the event log
// alone: alerts by sector and kind; time to acknowledge, to dispatch and to
// arrive (nearest-rank median and 90th percentile); incidents by outcome and
// the share intercepted or prevented; unit utilisation. Every definition is
// spelled out in docs/figures.md — keep the two in step.
//
// Shifts (issue 5) extension point: a shift's figures are the figures of its
// time range, `{ from: shift.openedAt, to: shift.closedAt ?? now }`. When
// events carry their shift, pass `include` (FigureOptions) to keep only that
// shift's operator actions; nothing else here needs to change.
import type { AlertKind, Outcome, UnitType } from '../../../shared/domain';
import type { DurationFigures, FigureRange, Figures, LoggedEvent } from '../../../shared/contract';
import type { Db } from '../db/database';
import { iterateEvents, toLoggedEvent } from '../log/eventLog';
import { kindSet, type EventPayloads } from '../log/eventCatalogue';

/** How far before `from` the log is read to find units already committed when the range begins. */
export const COMMITMENT_LOOKBACK_MS = 24 * 3600 * 1000;

/** The kinds the figures read; every other event is skipped before its payload is decoded. */
export const FIGURE_KINDS: ReadonlySet<string> = kindSet([
  'alert.raised',
  'alert.acknowledged',
  'incident.opened',
  'incident.closed',
  'dispatch.assigned',
  'dispatch.cancelled',
  'unit.status',
  // Fusion figures (docs/fusion.md): which radar tracks were seen, which were identified.
  'track.update',
  'ais.associated',
]);

const OUTCOMES: readonly Outcome[] = ['intercepted-on-beach', 'launch-prevented', 'handed-to-rescue', 'false-alarm', 'nothing-found'];

export interface FigureOptions {
  /** The end of what has happened: the part of the range after it is not counted (default: the range's end). */
  now?: number;
  /** The roster, so units never sent anywhere show (with 0 %); units seen in the log are added. */
  units?: readonly { id: string; callsign: string; type: UnitType }[];
  /** Sector names by id, for the alerts table. */
  sectorNames?: ReadonlyMap<string, string>;
  /** Shift extension point: keep only the events this returns true for (default: all). */
  include?: (event: LoggedEvent) => boolean;
}

/** Nearest-rank percentile of ascending `sorted`: the value at rank ⌈p/100 × n⌉ (1-based); null when empty. */
export function nearestRank(sorted: readonly number[], percent: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

function durations(samples: number[], incomplete: number): DurationFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, medianMs: nearestRank(sorted, 50), p90Ms: nearestRank(sorted, 90), incomplete };
}

interface Commitment {
  unit: string;
  incident: string;
  start: number;
  end: number | null;
}

/**
 * Folds events (in log order) into the figures. Events may start up to
 * COMMITMENT_LOOKBACK_MS before `from`: those only establish which units were
 * already committed when the range began.
 */
export class FiguresBuilder {
  private readonly until: number;
  private readonly inRange = (time: number) => time >= this.range.from && time < this.until;

  private readonly alertKinds = new Map<AlertKind, number>();
  private readonly alertSectors = new Map<string | null, Map<AlertKind, number>>();
  private alertTotal = 0;

  /** Alerts raised in the range → raise time; acknowledged ones are removed into `ackSamples`. */
  private readonly raised = new Map<string, number>();
  private readonly ackSamples: number[] = [];
  /** Incidents opened in the range → opening time, until their first assignment. */
  private readonly awaitingDispatch = new Map<string, number>();
  private readonly dispatchSamples: number[] = [];
  private incidentsOpened = 0;
  private readonly openIncidents = new Set<string>();
  /** Assignments made in the range → assignment time, until the unit is on scene (or the assignment ends). */
  private readonly awaitingArrival = new Map<string, number>();
  private readonly arriveSamples: number[] = [];
  private arrivalsMissed = 0;
  private readonly outcomes = new Map<Outcome, number>();

  private readonly commitments = new Map<string, Commitment>();
  /** unit → its current assignment, as the live picture keeps it. */
  private readonly unitAssignment = new Map<string, string>();
  private readonly assignmentsByUnit = new Map<string, number>();
  private readonly unitsSeen = new Set<string>();

  /** Radar tracks reported in the range, and those fused with an AIS ship while in it. */
  private readonly tracksSeen = new Set<string>();
  private readonly tracksIdentified = new Set<string>();
  /** Dark-contact alerts raised in the range, and the incident each went into. */
  private readonly darkAlerts = new Set<string>();
  private readonly darkIncident = new Map<string, string>();
  private readonly incidentOutcome = new Map<string, Outcome>();

  constructor(
    private readonly range: FigureRange,
    private readonly options: FigureOptions = {},
  ) {
    this.until = Math.max(range.from, Math.min(range.to, options.now ?? range.to));
  }

  /** The span the log must be read over: [readFrom, readTo). */
  get readSpan(): { readFrom: number; readTo: number } {
    return { readFrom: this.range.from - COMMITMENT_LOOKBACK_MS, readTo: this.until };
  }

  add(event: LoggedEvent): void {
    if (!FIGURE_KINDS.has(event.kind) || event.time >= this.until) return;
    if (this.options.include && !this.options.include(event)) return;
    const time = event.time;
    const counted = this.inRange(time);
    switch (event.kind) {
      case 'alert.raised': {
        if (!counted) return;
        const p = event.payload as EventPayloads['alert.raised'];
        this.alertTotal += 1;
        this.alertKinds.set(p.kind, (this.alertKinds.get(p.kind) ?? 0) + 1);
        const sector = p.sec ?? null;
        let kinds = this.alertSectors.get(sector);
        if (!kinds) this.alertSectors.set(sector, (kinds = new Map()));
        kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
        this.raised.set(p.id, time);
        if (p.kind === 'dark-contact') this.darkAlerts.add(p.id);
        return;
      }
      case 'track.update': {
        if (!counted) return;
        const p = event.payload as EventPayloads['track.update'];
        if (!p.lost) this.tracksSeen.add(p.t);
        return;
      }
      case 'ais.associated': {
        if (!counted) return;
        this.tracksIdentified.add((event.payload as EventPayloads['ais.associated']).t);
        return;
      }
      case 'alert.acknowledged': {
        const p = event.payload as EventPayloads['alert.acknowledged'];
        if (this.darkAlerts.has(p.alert)) this.darkIncident.set(p.alert, p.inc);
        const raisedAt = this.raised.get(p.alert);
        if (raisedAt === undefined || !counted) return;
        this.raised.delete(p.alert);
        this.ackSamples.push(Math.max(0, time - raisedAt));
        return;
      }
      case 'incident.opened': {
        if (!counted) return;
        const p = event.payload as EventPayloads['incident.opened'];
        this.incidentsOpened += 1;
        this.openIncidents.add(p.id);
        this.awaitingDispatch.set(p.id, time);
        return;
      }
      case 'dispatch.assigned': {
        const p = event.payload as EventPayloads['dispatch.assigned'];
        this.unitsSeen.add(p.u);
        // A unit sent elsewhere is first cancelled (its own event); end any commitment left open all the same.
        this.endCommitment(this.unitAssignment.get(p.u), time);
        this.commitments.set(p.a, { unit: p.u, incident: p.inc, start: time, end: null });
        this.unitAssignment.set(p.u, p.a);
        if (!counted) return;
        this.assignmentsByUnit.set(p.u, (this.assignmentsByUnit.get(p.u) ?? 0) + 1);
        this.awaitingArrival.set(p.a, time);
        const openedAt = this.awaitingDispatch.get(p.inc);
        if (openedAt !== undefined) {
          this.awaitingDispatch.delete(p.inc);
          this.dispatchSamples.push(Math.max(0, time - openedAt));
        }
        return;
      }
      case 'unit.status': {
        const p = event.payload as EventPayloads['unit.status'];
        // As the live picture reads it: a status belongs to the unit's current assignment (and must name it, when it names one).
        const current = this.unitAssignment.get(p.u);
        if (current === undefined || (p.a !== undefined && p.a !== current)) return;
        if (p.status === 'on-scene') {
          const assignedAt = this.awaitingArrival.get(current);
          if (assignedAt !== undefined && counted) {
            this.awaitingArrival.delete(current);
            this.arriveSamples.push(Math.max(0, time - assignedAt));
          }
        } else if (p.status === 'cleared' || p.status === 'available') {
          this.endCommitment(current, time);
        }
        return;
      }
      case 'dispatch.cancelled': {
        this.endCommitment((event.payload as EventPayloads['dispatch.cancelled']).a, time);
        return;
      }
      case 'incident.closed': {
        const p = event.payload as EventPayloads['incident.closed'];
        for (const [id, commitment] of this.commitments) if (commitment.incident === p.inc && commitment.end === null) this.endCommitment(id, time);
        this.incidentOutcome.set(p.inc, p.outcome);
        if (!counted) return;
        this.outcomes.set(p.outcome, (this.outcomes.get(p.outcome) ?? 0) + 1);
        this.openIncidents.delete(p.inc);
        // Closed without a unit sent: nothing left to wait for (still counted as incomplete).
        return;
      }
      default:
        return;
    }
  }

  private endCommitment(id: string | undefined, time: number): void {
    if (id === undefined) return;
    const commitment = this.commitments.get(id);
    if (!commitment || commitment.end !== null) return;
    commitment.end = time;
    if (this.unitAssignment.get(commitment.unit) === id) this.unitAssignment.delete(commitment.unit);
    // An assignment that ends before its unit is on scene never arrives.
    if (this.awaitingArrival.delete(id)) this.arrivalsMissed += 1;
  }

  result(): Figures {
    const { from, to } = this.range;
    const until = this.until;
    const observedMs = until - from;

    const byKind = [...this.alertKinds].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
    const bySector = [...this.alertSectors].map(([sector, kinds]) => ({
      sector,
      name: sector === null ? null : (this.options.sectorNames?.get(sector) ?? null),
      total: [...kinds.values()].reduce((sum, n) => sum + n, 0),
      byKind: [...kinds].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)),
    }));
    // Most alerts first; ties in sector order (ids sort like the coast, north to south); no sector last.
    bySector.sort((a, b) => b.total - a.total || (a.sector === null ? 1 : b.sector === null ? -1 : a.sector.localeCompare(b.sector)));

    const closed = [...this.outcomes.values()].reduce((sum, n) => sum + n, 0);
    const count = (outcome: Outcome) => this.outcomes.get(outcome) ?? 0;
    const interceptedOrPrevented = count('intercepted-on-beach') + count('launch-prevented');
    const attempts = interceptedOrPrevented + count('handed-to-rescue');

    // Each unit's committed time: the union of its commitments, clipped to [from, until).
    const committed = new Map<string, number>();
    const intervals = new Map<string, [number, number][]>();
    for (const commitment of this.commitments.values()) {
      const start = Math.max(commitment.start, from);
      const end = Math.min(commitment.end ?? until, until);
      if (end <= start) continue;
      let list = intervals.get(commitment.unit);
      if (!list) intervals.set(commitment.unit, (list = []));
      list.push([start, end]);
    }
    for (const [unit, list] of intervals) {
      list.sort((a, b) => a[0] - b[0]);
      let total = 0;
      let [curStart, curEnd] = list[0]!;
      for (const [start, end] of list.slice(1)) {
        if (start > curEnd) {
          total += curEnd - curStart;
          [curStart, curEnd] = [start, end];
        } else curEnd = Math.max(curEnd, end);
      }
      committed.set(unit, total + curEnd - curStart);
    }
    const roster = new Map<string, { callsign: string | null; type: UnitType | null }>();
    for (const unit of this.options.units ?? []) roster.set(unit.id, { callsign: unit.callsign, type: unit.type });
    for (const unit of this.unitsSeen) if (!roster.has(unit)) roster.set(unit, { callsign: null, type: null });
    const share = (ms: number) => (observedMs > 0 ? Math.min(1, ms / observedMs) : null);
    const list = [...roster].map(([unit, info]) => {
      const committedMs = committed.get(unit) ?? 0;
      return { unit, callsign: info.callsign, type: info.type, assignments: this.assignmentsByUnit.get(unit) ?? 0, committedMs, share: share(committedMs) };
    });
    list.sort((a, b) => a.unit.localeCompare(b.unit));
    const totalCommitted = list.reduce((sum, unit) => sum + unit.committedMs, 0);

    return {
      from,
      to,
      until,
      alerts: { total: this.alertTotal, byKind, bySector },
      times: {
        acknowledge: durations(this.ackSamples, this.raised.size),
        dispatch: durations(this.dispatchSamples, this.awaitingDispatch.size),
        arrive: durations(this.arriveSamples, this.awaitingArrival.size + this.arrivalsMissed),
      },
      incidents: {
        opened: this.incidentsOpened,
        closed,
        stillOpen: this.openIncidents.size,
        byOutcome: OUTCOMES.map((outcome) => ({ outcome, count: count(outcome) })),
        interceptedOrPrevented,
        share: closed > 0 ? interceptedOrPrevented / closed : null,
        shareOfAttempts: attempts > 0 ? interceptedOrPrevented / attempts : null,
      },
      units: {
        observedMs,
        overall: list.length > 0 && observedMs > 0 ? Math.min(1, totalCommitted / (list.length * observedMs)) : null,
        list,
      },
      fusion: this.fusionFigures(),
    };
  }

  /** Share of radar tracks identified by AIS; dark contacts and how they ended (docs/figures.md). */
  private fusionFigures(): NonNullable<Figures['fusion']> {
    // A track associated in the range counts as seen even if its updates in the range were all before the association was logged.
    for (const track of this.tracksIdentified) this.tracksSeen.add(track);
    let acknowledged = 0;
    const ended = new Map<Outcome, number>();
    for (const alert of this.darkAlerts) {
      const incident = this.darkIncident.get(alert);
      if (incident === undefined) continue;
      acknowledged += 1;
      const outcome = this.incidentOutcome.get(incident);
      if (outcome !== undefined) ended.set(outcome, (ended.get(outcome) ?? 0) + 1);
    }
    const closed = [...ended.values()].reduce((sum, n) => sum + n, 0);
    return {
      radarTracks: this.tracksSeen.size,
      identified: this.tracksIdentified.size,
      share: this.tracksSeen.size > 0 ? this.tracksIdentified.size / this.tracksSeen.size : null,
      darkContacts: {
        raised: this.darkAlerts.size,
        acknowledged,
        unacknowledged: this.darkAlerts.size - acknowledged,
        stillOpen: acknowledged - closed,
        byOutcome: OUTCOMES.map((outcome) => ({ outcome, count: ended.get(outcome) ?? 0 })),
      },
    };
  }
}

/** The figures of events already at hand (in log order). */
export function computeFigures(events: Iterable<LoggedEvent>, range: FigureRange, options: FigureOptions = {}): Figures {
  const builder = new FiguresBuilder(range, options);
  for (const event of events) builder.add(event);
  return builder.result();
}

/** Rows read between two pauses, so a long range never holds the core's thread (feeds, consoles) for long. */
const CHUNK_ROWS = 20_000;

/**
 * The figures of a range, read from the log through its public reader in
 * chunks, yielding to the event loop between them. Only the kinds in
 * FIGURE_KINDS are decoded.
 */
export async function figuresFromLog(db: Db, range: FigureRange, options: FigureOptions = {}): Promise<Figures> {
  const builder = new FiguresBuilder(range, options);
  const { readFrom, readTo } = builder.readSpan;
  if (readTo <= readFrom) return builder.result();
  let afterSeq = 0;
  for (;;) {
    let rows = 0;
    for (const stored of iterateEvents(db, { afterSeq, fromTime: readFrom, toTime: readTo - 1 })) {
      afterSeq = stored.seq;
      if (FIGURE_KINDS.has(stored.kind)) builder.add(toLoggedEvent(stored));
      if (++rows >= CHUNK_ROWS) break;
    }
    if (rows < CHUNK_ROWS) return builder.result();
    await new Promise((resolve) => setImmediate(resolve));
  }
}
