// The link to the core and the core's own state: connection, version, feeds
// and storage (feeds.status, polled by main.tsx).
import type { StateCreator } from 'zustand';
import type { FeedsStatus } from '../../../shared/contract';
import type { ConnectionState } from '../../core/coreClient';
import type { ConsoleState } from '../store';

export interface ConnectionSlice {
  connection: ConnectionState | 'unauthorized' | 'incompatible';
  coreVersion: string | null;
  setConnection(connection: ConnectionSlice['connection']): void;
  setCoreVersion(version: string): void;
}

export interface FeedsSlice {
  feeds: FeedsStatus | null;
  setFeeds(feeds: FeedsStatus): void;
}

export const createConnectionSlice: StateCreator<ConsoleState, [], [], ConnectionSlice & FeedsSlice> = (set) => ({
  connection: 'connecting',
  coreVersion: null,
  setConnection: (connection) => set({ connection }),
  setCoreVersion: (coreVersion) => set({ coreVersion }),
  feeds: null,
  setFeeds: (feeds) => set({ feeds }),
});
