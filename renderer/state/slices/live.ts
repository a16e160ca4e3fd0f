// The live picture: the core's now, loaded whole after a sign-in or a
// reconnect (picture.get) and kept in step by every picture.delta — in replay
// mode too, where it is not shown but stays current, so that leaving replay
// shows it at once, as it is (nothing re-fetched, nothing set aside).
import type { StateCreator } from 'zustand';
import { emptyPicture, newAlertCount, wholePicture, withDelta } from '../picture';
import type { ConsoleState, LiveSlice } from '../shape';

export const createLiveSlice: StateCreator<ConsoleState, [], [], LiveSlice> = (set, get) => ({
  live: emptyPicture(),
  log: null,
  setLivePicture: (whole) => set((state) => ({ live: wholePicture(state.live, whole), log: whole.log })),
  applyLiveDelta: (delta) => {
    const { live, replay } = get();
    const fresh = replay ? newAlertCount(live, delta.alerts) : 0;
    const next = withDelta(live, delta);
    // Nothing the panels show changed (units that only moved): no listener runs.
    if (next === live && fresh === 0) return;
    set(replay && fresh > 0 ? { live: next, replay: { ...replay, liveAlertsWaiting: replay.liveAlertsWaiting + fresh } } : { live: next });
  },
  setLog: (log) => set({ log }),
  setLiveSectors: (sectors) => set((state) => ({ live: { ...state.live, sectors } })),
});
