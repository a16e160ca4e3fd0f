// The map's screen state: the cursor, the picked track or unit (and follow),
// the open map tool, and where the map was asked to fit.
import type { StateCreator } from 'zustand';
import type { ConsoleState } from '../store';

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

export const createMapSlice: StateCreator<ConsoleState, [], [], MapSlice> = (set) => ({
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
});
