// Screen state: one zustand store composed of slices (slices/*.ts; their
// types, and ConsoleState, in shape.ts).
// Components select single fields. The store holds two pictures (picture.ts):
// the live one, always, and in replay mode a replayed one; panels and the map
// read the one *shown* (useShownPicture, shownPicture). High-frequency data
// (tracks, unit positions) lives in each picture's `positions` and reaches
// the canvas without React renders (subscribeShownPositions).
import { create } from 'zustand';
import type { Picture } from './picture';
import type { Positions } from './positions';
import type { ConsoleState } from './shape';
import { createConnectionSlice } from './slices/connection';
import { createDispatchSlice } from './slices/dispatch';
import { createLanguageSlice } from './slices/language';
import { createLiveSlice } from './slices/live';
import { createMapSlice } from './slices/map';
import { createReplaySlice } from './slices/replay';
import { createSessionSlice } from './slices/session';

export type { Picture } from './picture';

export type * from './shape';

export const useConsole = create<ConsoleState>()((...store) => ({
  ...createSessionSlice(...store),
  ...createConnectionSlice(...store),
  ...createLiveSlice(...store),
  ...createReplaySlice(...store),
  ...createDispatchSlice(...store),
  ...createMapSlice(...store),
  ...createLanguageSlice(...store),
}));

/** The picture on screen: the replayed one in replay mode, else the live one. */
export function shownPicture(state: ConsoleState = useConsole.getState()): Picture {
  return state.replay?.picture ?? state.live;
}

/**
 * A field of the picture on screen, for components: `useShownPicture((picture) => picture.alerts)`.
 * Select fields, not the picture itself: in play, the replayed picture is a new object every frame.
 */
export function useShownPicture<T>(select: (picture: Picture) => T): T {
  return useConsole((state) => select(shownPicture(state)));
}

/**
 * The picture clock: the moment the picture on screen stands for — now when
 * live, the replayed moment in replay. Ages (the queue, the map's labels, the
 * picked card) and staleness count from it. Read when drawing, not subscribed
 * to: in play it changes every frame.
 */
export function pictureNow(state: ConsoleState = useConsole.getState()): number {
  return shownPicture(state).time ?? Date.now();
}

/** The tracks and units on screen (the canvas, picking, following). */
export function shownPositions(state: ConsoleState = useConsole.getState()): Positions {
  return shownPicture(state).positions;
}

/** Calls `listener` when the shown tracks or units move, and when another picture is shown (replay entered or left, another shift). */
export function subscribeShownPositions(listener: () => void): () => void {
  let positions = shownPositions();
  let unsubscribe = positions.subscribe(listener);
  const unsubscribeStore = useConsole.subscribe((state) => {
    const shown = shownPositions(state);
    if (shown === positions) return;
    unsubscribe();
    positions = shown;
    unsubscribe = positions.subscribe(listener);
    listener();
  });
  return () => {
    unsubscribe();
    unsubscribeStore();
  };
}
