// Replay mode (issue 5, renderer/replay): everything about it in one place —
// the shift replayed, the replayed picture the map and panels show instead of
// the live one, the moment wanted and the event shown, play and speed, and
// the new live alerts counted meanwhile. The live picture goes on beside it
// (slices/live.ts): entering replay sets nothing of it aside and leaving
// fetches nothing, so neither picture can leak into the other.
import type { StateCreator } from 'zustand';
import { emptyPicture, withMoment } from '../picture';
import type { ConsoleState, ReplayState, ReplaySlice } from '../shape';
import { incidentSelection } from './dispatch';

export const DEFAULT_REPLAY_SPEED = 10;

/** Entering or leaving replay, nothing of one picture stays selected over the other. */
const NOTHING_SELECTED = {
  selectedAlert: null,
  selectedIncident: null,
  ranking: null,
  override: false,
  mergeProposal: null,
  dispatchMessage: null,
  picked: null,
  following: false,
} satisfies Partial<ConsoleState>;

export const createReplaySlice: StateCreator<ConsoleState, [], [], ReplaySlice> = (set, get) => {
  const update = (change: (replay: ReplayState) => Partial<ReplayState> | null) => {
    const replay = get().replay;
    const changed = replay && change(replay);
    if (replay && changed) set({ replay: { ...replay, ...changed } });
  };
  return {
    replay: null,
    enterReplay: () => {
      if (get().replay) return;
      set({
        replay: {
          shift: null,
          archive: null,
          picture: emptyPicture(),
          time: 0,
          shownSeq: null,
          playing: false,
          speed: DEFAULT_REPLAY_SPEED,
          liveAlertsWaiting: 0,
        },
        ...NOTHING_SELECTED,
      });
    },
    leaveReplay: () => {
      if (get().replay) set({ replay: null, ...NOTHING_SELECTED });
    },
    chooseReplayShift: (shift) => update((replay) => (replay.shift === shift ? null : { shift, picture: emptyPicture(), shownSeq: null, playing: false })),
    chooseReplayArchive: (archive) =>
      update((replay) => (replay.archive === archive ? null : { archive, shift: null, picture: emptyPicture(), shownSeq: null, playing: false })),
    setReplayTime: (next) =>
      update((replay) => {
        const time = typeof next === 'function' ? next(replay.time) : next;
        return time === replay.time ? null : { time };
      }),
    setReplayPlaying: (next) =>
      update((replay) => {
        const playing = typeof next === 'function' ? next(replay.playing) : next;
        return playing === replay.playing ? null : { playing };
      }),
    setReplaySpeed: (speed) => update((replay) => (speed === replay.speed ? null : { speed })),
    showReplayed: (moment) => {
      const state = get();
      const replay = state.replay;
      if (!replay || replay.shift !== moment.shift) return;
      const picture = withMoment(replay.picture, moment.picture, moment.time);
      // The incident panel follows the replay: the selected incident, else the newest open one.
      let incident = state.selectedIncident;
      if (incident !== null && !picture.incidents.some((candidate) => candidate.id === incident)) incident = null;
      incident ??= picture.incidents[picture.incidents.length - 1]?.id ?? null;
      set({ replay: { ...replay, picture, shownSeq: moment.seq }, ...incidentSelection(state, incident) });
    },
  };
};
