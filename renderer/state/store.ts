// Screen state, one slice per feature. Components select single fields;
// later, high-frequency data (tracks, units) goes through subscribe() into
// imperative map code instead of through React renders.
import { create } from 'zustand';
import type { LogStatus, Sector } from '../../shared/contract';
import type { ConnectionState } from '../core/coreClient';

export interface ConnectionSlice {
  connection: ConnectionState | 'unauthorized' | 'incompatible';
  coreVersion: string | null;
  setConnection(connection: ConnectionSlice['connection']): void;
  setCoreVersion(version: string): void;
}

export interface PictureSlice {
  sectors: Sector[];
  log: LogStatus | null;
  setPicture(sectors: Sector[], log: LogStatus): void;
  setLog(log: LogStatus): void;
}

export interface MapSlice {
  /** Cursor position over the map, or null when the pointer is elsewhere. */
  cursor: { lat: number; lon: number } | null;
  setCursor(cursor: MapSlice['cursor']): void;
}

export type ConsoleState = ConnectionSlice & PictureSlice & MapSlice;

export const useConsole = create<ConsoleState>()((set) => ({
  connection: 'connecting',
  coreVersion: null,
  setConnection: (connection) => set({ connection }),
  setCoreVersion: (coreVersion) => set({ coreVersion }),

  sectors: [],
  log: null,
  setPicture: (sectors, log) => set({ sectors, log }),
  setLog: (log) => set({ log }),

  cursor: null,
  setCursor: (cursor) => set({ cursor }),
}));
