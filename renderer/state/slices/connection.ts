// The link to the core and the core's own state: connection, version, feeds
// and storage (feeds.status, polled by main.tsx).
import type { StateCreator } from 'zustand';
import type { ConsoleState, ConnectionSlice, FeedsSlice } from '../shape';

export const createConnectionSlice: StateCreator<ConsoleState, [], [], ConnectionSlice & FeedsSlice> = (set) => ({
  connection: 'connecting',
  coreVersion: null,
  seatCode: null,
  setConnection: (connection) => set({ connection }),
  setSeatWaiting: (seatCode) => set({ connection: 'seat-waiting', seatCode }),
  setCoreVersion: (coreVersion) => set({ coreVersion }),
  feeds: null,
  setFeeds: (feeds) => set({ feeds }),
});
