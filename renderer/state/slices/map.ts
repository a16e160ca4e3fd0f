// The map's screen state: the cursor, the picked track or unit (and follow),
// the open map tool, and where the map was asked to fit.
import type { StateCreator } from 'zustand';
import type { ConsoleState, MapSlice } from '../shape';

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
