// The store's shape: every slice's state and actions, as types only. The
// behaviour is in slices/*.ts, one file per concern, composed in store.ts.
// Types live here, apart from the slices, because each slice's creator is
// typed with the whole ConsoleState: kept beside the slices they would import
// each other in a circle (which npm run lint refuses).
import type { FeedsStatus, LogStatus, RequestResult, Sector, SessionView } from '../../shared/contract';
import type { ConnectionState } from '../core/coreClient';
import type { Language } from '../i18n/language';
import type { Picture, PictureDelta, WholePicture } from './picture';

// --- Who is at the console (slices/session.ts)

export interface SessionSlice {
  access: 'unknown' | 'first-run' | 'sign-in' | 'signed-in';
  session: (SessionView & { token: string }) | null;
  setAccess(access: SessionSlice['access']): void;
  signedIn(session: SessionView & { token: string }): void;
  signedOut(): void;
}

// --- The link to the core (slices/connection.ts)

export interface ConnectionSlice {
  connection: ConnectionState | 'unauthorized' | 'incompatible' | 'seat-waiting';
  coreVersion: string | null;
  /** On a room address: the code this seat shows until a supervisor admits it (issue 15). */
  seatCode: string | null;
  setConnection(connection: ConnectionSlice['connection']): void;
  setSeatWaiting(code: string): void;
  setCoreVersion(version: string): void;
}

export interface FeedsSlice {
  feeds: FeedsStatus | null;
  setFeeds(feeds: FeedsStatus): void;
}

// --- The live picture (slices/live.ts)

export interface LiveSlice {
  /** The live picture (panels' data, and its positions for the map's canvas). */
  live: Picture;
  /** The live log (picture.get, then every log.appended): the status bar shows it in replay mode too. */
  log: LogStatus | null;
  setLivePicture(whole: WholePicture): void;
  /** A live delta: always to the live picture; while a replay is on screen, its new alerts are counted for the replay bar. */
  applyLiveDelta(delta: PictureDelta): void;
  setLog(log: LogStatus): void;
  /** The sectors after a supervisor's edit (the core's pushed `sectors.changed`, issue 6). */
  setLiveSectors(sectors: Sector[]): void;
}

// --- Replay mode (slices/replay.ts)

/** A replayed moment as the core answers it (replay.at). */
export type ReplayedMoment = RequestResult<'replay.at'>;

export interface ReplayState {
  /** The shift replayed; null until one is chosen. */
  shift: number | null;
  /** The archive file it is replayed from (one of archives.list's, read-only); null: the live log. */
  archive: string | null;
  /** What the map and the panels show while replaying (empty until the first moment of the shift arrives). */
  picture: Picture;
  /** The moment wanted (ms since the epoch): the slider and the clock show it; it moves every animation frame in play. */
  time: number;
  /** The log position (seq) of the picture on screen. */
  shownSeq: number | null;
  playing: boolean;
  /** Times real time. */
  speed: number;
  /** New live alerts raised since replay mode was entered (counted by the live slice as they arrive). */
  liveAlertsWaiting: number;
}

export interface ReplaySlice {
  /** Replay mode's state; null when the console is live. */
  replay: ReplayState | null;
  enterReplay(): void;
  leaveReplay(): void;
  /** Another shift: its picture starts empty (no trails from the previous one), play stops. */
  chooseReplayShift(shift: number): void;
  /** Another log to replay from (an archive file, or null: the live log): no shift chosen yet, play stops. */
  chooseReplayArchive(archive: string | null): void;
  /** Moves the moment, as React's setState does (a value, or a function of the previous one). */
  setReplayTime(next: number | ((previous: number) => number)): void;
  setReplayPlaying(next: boolean | ((playing: boolean) => boolean)): void;
  setReplaySpeed(speed: number): void;
  /** Shows a replayed moment; an answer for another shift, or arriving after replay was left, is dropped. */
  showReplayed(moment: ReplayedMoment): void;
}

// --- The operator's dispatch work (slices/dispatch.ts)

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
  /** The live core's coverage gaps (coverage.get): an answer about now, never about a replayed moment. */
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

// --- The map's screen state (slices/map.ts)

export type MapTool = 'goto' | 'measure' | 'search' | 'packs';

/** A track, unit or AIS ship (id: its MMSI) picked on the map. */
export interface MapPick {
  kind: 'track' | 'unit' | 'vessel';
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

// --- The language on screen (slices/language.ts)

export interface LanguageSlice {
  /** The language of every word on screen; saved and applied to <html lang> by main.tsx. */
  language: Language;
  setLanguage(language: Language): void;
  toggleLanguage(): void;
}

export type ConsoleState = SessionSlice & ConnectionSlice & FeedsSlice & LiveSlice & ReplaySlice & DispatchSlice & MapSlice & LanguageSlice;
