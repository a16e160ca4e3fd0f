// Screen state, one slice per feature. Components select single fields;
// high-frequency data (tracks, unit positions) lives in liveStore and reaches
// the canvas without React renders.
import { create } from 'zustand';
import type { AlertView, FeedsStatus, IncidentView, LogStatus, RequestResult, Sector, SensorView, SessionView, UnitView } from '../../shared/contract';
import type { ConnectionState } from '../core/coreClient';
import { initialLanguage, otherLanguage, type Language } from '../i18n/language';

export interface ConnectionSlice {
  connection: ConnectionState | 'unauthorized' | 'incompatible';
  coreVersion: string | null;
  setConnection(connection: ConnectionSlice['connection']): void;
  setCoreVersion(version: string): void;
}

export interface PictureSlice {
  sectors: Sector[];
  sensors: SensorView[];
  /** Units for panels (positions are drawn from the live store). */
  units: UnitView[];
  /** Open alerts, newest first. */
  alerts: AlertView[];
  /** Open incidents (closed ones are dropped as their delta arrives). */
  incidents: IncidentView[];
  trackCount: number;
  log: LogStatus | null;
  setPicture(picture: { sectors: Sector[]; sensors: SensorView[]; units: UnitView[]; alerts: AlertView[]; incidents: IncidentView[]; trackCount: number; log: LogStatus }): void;
  applyDelta(delta: { sensors: SensorView[]; units: UnitView[]; alerts: AlertView[]; incidents: IncidentView[]; trackCount: number }): void;
  setLog(log: LogStatus): void;
  /** The sectors after a supervisor's edit (the core's pushed `sectors.changed`, issue 6). */
  setSectors(sectors: Sector[]): void;
}

export type RankedUnit = RequestResult<'dispatch.rank'>['units'][number];
export type CoverageGap = RequestResult<'coverage.get'>['gaps'][number];

/** The operator's dispatch work: what is selected, the ranking shown, the pending merge question. */
export interface DispatchSlice {
  selectedAlert: string | null;
  selectedIncident: string | null;
  /** dispatch.rank for the selected incident (null while not yet asked). */
  ranking: RankedUnit[] | null;
  /** The next assignment is sent with `override` (for a committed unit). */
  override: boolean;
  /** An acknowledgement waiting for the operator: merge into a candidate or open a new incident. */
  mergeProposal: { alert: string; candidates: { incident: string; meters: number; seconds: number }[] } | null;
  /** The last refusal or failure from the core, shown in the incident panel. */
  dispatchMessage: string | null;
  closeDialogOpen: boolean;
  coverageGaps: CoverageGap[];
  /** The site's coverage time, seconds (from coverage.get). */
  coverageThreshold: number;
  muted: boolean;
  selectAlert(id: string | null): void;
  selectIncident(id: string | null): void;
  setRanking(incident: string, ranking: RankedUnit[]): void;
  setOverride(override: boolean): void;
  setMergeProposal(proposal: DispatchSlice['mergeProposal']): void;
  setDispatchMessage(message: string | null): void;
  setCloseDialogOpen(open: boolean): void;
  setCoverage(coverage: { gaps: CoverageGap[]; thresholdSeconds: number }): void;
  setMuted(muted: boolean): void;
}

const MUTE_KEY = 'vigie.muted';
function initialMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === 'true';
  } catch {
    return false;
  }
}
function saveMuted(muted: boolean): void {
  try {
    localStorage.setItem(MUTE_KEY, String(muted));
  } catch {
    // Not persisted; the choice holds until the page is reloaded.
  }
}

export interface FeedsSlice {
  feeds: FeedsStatus | null;
  setFeeds(feeds: FeedsStatus): void;
}

export type MapTool = 'goto' | 'measure' | 'search' | 'packs';

/** A track or unit picked on the map. */
export interface MapPick {
  kind: 'track' | 'unit';
  id: string;
}

export interface MapSlice {
  /** Cursor position over the map, or null when the pointer is elsewhere. */
  cursor: { lat: number; lon: number } | null;
  setCursor(cursor: MapSlice['cursor']): void;
  /** The track or unit selected on the map (click, or "show" in a panel). */
  picked: MapPick | null;
  /** The map keeps the picked track or unit in view as it moves. */
  following: boolean;
  pick(picked: MapPick | null, follow?: boolean): void;
  setFollowing(following: boolean): void;
  /** The map tool open beside the map (map/MapTools.tsx), if any. */
  mapTool: MapTool | null;
  setMapTool(tool: MapTool | null): void;
  /** Points the map should show, all at once ([lat, lon]); a new object each time it is asked. */
  fitTarget: { points: [number, number][] } | null;
  fitMapTo(points: [number, number][]): void;
}

export interface LanguageSlice {
  /** The language of every word on screen; saved and applied to <html lang> by main.tsx. */
  language: Language;
  setLanguage(language: Language): void;
  toggleLanguage(): void;
}

/** Who is at the console: nobody yet (sign-in or, on a new post, the first supervisor), or a signed-in operator. */
export interface SessionSlice {
  access: 'unknown' | 'first-run' | 'sign-in' | 'signed-in';
  session: (SessionView & { token: string }) | null;
  setAccess(access: SessionSlice['access']): void;
  signedIn(session: SessionView & { token: string }): void;
  signedOut(): void;
}

/** Replay mode (issue 5, renderer/replay): the picture slices show a moment of a shift, not the live core; live deltas wait meanwhile, but new live alerts still sound and are counted. */
export interface ReplaySlice {
  replay: { shift: number | null } | null;
  setReplay(replay: ReplaySlice['replay']): void;
  /** New live alerts raised since replay mode was entered (replayMode.ts). */
  liveAlertsWaiting: number;
}

export type ConsoleState = SessionSlice & ConnectionSlice & PictureSlice & DispatchSlice & FeedsSlice & MapSlice & LanguageSlice & ReplaySlice;

/** Replaces items by id, keeping order for known ones and adding new ones. */
function mergeById<T extends { id: string }>(current: T[], changed: T[]): T[] {
  if (changed.length === 0) return current;
  const byId = new Map(changed.map((item) => [item.id, item]));
  const merged = current.map((item) => byId.get(item.id) ?? item);
  const known = new Set(current.map((item) => item.id));
  for (const item of changed) if (!known.has(item.id)) merged.push(item);
  return merged;
}

/**
 * The store's `units` is the roster (who, what type, which status and
 * assignment, whether it has a fix); live positions are in liveStore. A unit
 * that only moved is not a roster change.
 */
function rosterChanged(roster: UnitView[], unit: UnitView): boolean {
  const known = roster.find((item) => item.id === unit.id);
  return (
    !known ||
    known.status !== unit.status ||
    known.assignment !== unit.assignment ||
    known.callsign !== unit.callsign ||
    known.type !== unit.type ||
    known.crew !== unit.crew ||
    (known.lat === null) !== (unit.lat === null)
  );
}

export const useConsole = create<ConsoleState>()((set) => ({
  access: 'unknown',
  session: null,
  setAccess: (access) => set({ access }),
  signedIn: (session) => set({ session, access: 'signed-in' }),
  // Signed out, nothing of the last operator's work stays selected on screen.
  signedOut: () => set({ session: null, access: 'sign-in', selectedAlert: null, selectedIncident: null, ranking: null, mergeProposal: null, closeDialogOpen: false, picked: null, following: false }),

  connection: 'connecting',
  coreVersion: null,
  setConnection: (connection) => set({ connection }),
  setCoreVersion: (coreVersion) => set({ coreVersion }),

  sectors: [],
  sensors: [],
  units: [],
  alerts: [],
  incidents: [],
  trackCount: 0,
  log: null,
  setPicture: (picture) => set(picture),
  // Only the slices that changed get new arrays, so a delta carrying nothing
  // but moving units re-renders nothing (their positions live in liveStore).
  applyDelta: (delta) =>
    set((state) => {
      const next: Partial<PictureSlice> = {};
      if (delta.sensors.length > 0) next.sensors = mergeById(state.sensors, delta.sensors);
      const rosterChanges = delta.units.filter((unit) => rosterChanged(state.units, unit));
      if (rosterChanges.length > 0) next.units = mergeById(state.units, rosterChanges);
      if (delta.alerts.length > 0)
        next.alerts = mergeById(state.alerts, delta.alerts)
          .filter((alert) => alert.status !== 'closed')
          .sort((a, b) => b.time - a.time);
      if (delta.incidents.length > 0) next.incidents = mergeById(state.incidents, delta.incidents).filter((incident) => incident.status !== 'closed');
      if (delta.trackCount !== state.trackCount) next.trackCount = delta.trackCount;
      // The same state object tells zustand nothing changed: no listener runs.
      return Object.keys(next).length > 0 ? next : state;
    }),
  setLog: (log) => set({ log }),
  setSectors: (sectors) => set({ sectors }),

  selectedAlert: null,
  selectedIncident: null,
  ranking: null,
  override: false,
  mergeProposal: null,
  dispatchMessage: null,
  closeDialogOpen: false,
  coverageGaps: [],
  coverageThreshold: 900,
  muted: initialMuted(),
  selectAlert: (selectedAlert) => set({ selectedAlert }),
  // A different incident: its own ranking, no override or message carried over.
  selectIncident: (selectedIncident) =>
    set((state) => (state.selectedIncident === selectedIncident ? {} : { selectedIncident, ranking: null, override: false, dispatchMessage: null })),
  // A late answer for an incident no longer shown is dropped.
  setRanking: (incident, ranking) => set((state) => (state.selectedIncident === incident ? { ranking } : {})),
  setOverride: (override) => set({ override }),
  setMergeProposal: (mergeProposal) => set({ mergeProposal }),
  setDispatchMessage: (dispatchMessage) => set({ dispatchMessage }),
  setCloseDialogOpen: (closeDialogOpen) => set({ closeDialogOpen }),
  setCoverage: (coverage) => set({ coverageGaps: coverage.gaps, coverageThreshold: coverage.thresholdSeconds }),
  setMuted: (muted) => {
    saveMuted(muted);
    set({ muted });
  },

  feeds: null,
  setFeeds: (feeds) => set({ feeds }),

  cursor: null,
  setCursor: (cursor) => set({ cursor }),
  picked: null,
  following: false,
  // A new pick starts unfollowed unless asked; clearing it stops following.
  pick: (picked, follow = false) => set({ picked, following: picked !== null && follow }),
  setFollowing: (following) => set((state) => ({ following: state.picked !== null && following })),
  mapTool: null,
  setMapTool: (mapTool) => set({ mapTool }),
  fitTarget: null,
  // Fitting is the operator choosing the view: it ends following.
  fitMapTo: (points) => set({ fitTarget: { points }, following: false }),

  replay: null,
  setReplay: (replay) => set({ replay }),
  liveAlertsWaiting: 0,

  language: initialLanguage(),
  setLanguage: (language) => set({ language }),
  toggleLanguage: () => set((state) => ({ language: otherLanguage(state.language) })),
}));
