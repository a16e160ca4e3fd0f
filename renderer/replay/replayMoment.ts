// The replayed moment, and the event last shown, kept out of the replay bar's
// React state: played at 60× they change every animation frame, and only the
// clock and the slider need to render then, not the whole bar (its marks,
// shift list and speed buttons).
import { create } from 'zustand';

export interface ReplayMoment {
  /** The moment wanted (ms since the epoch): the slider and the clock show it. */
  time: number;
  /** The log position (seq) of the picture on screen. */
  shownSeq: number | null;
}

export const useReplayMoment = create<ReplayMoment>(() => ({ time: 0, shownSeq: null }));

/** Moves the moment, as React's setState does (a value, or a function of the previous one). */
export function setReplayTime(next: number | ((previous: number) => number)): void {
  const time = typeof next === 'function' ? next(useReplayMoment.getState().time) : next;
  if (time !== useReplayMoment.getState().time) useReplayMoment.setState({ time });
}
