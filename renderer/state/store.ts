// Screen state, one slice per feature. Components select single fields;
// later, high-frequency data (tracks, units) goes through subscribe() into
// imperative map code instead of through React renders.
import { create } from 'zustand';
import type { AlertView, FeedsStatus, LogStatus, Sector, SensorView, UnitView } from '../../shared/contract';
import type { ConnectionState } from '../core/coreClient';
import { initialLanguage, otherLanguage, type Language } from '../i18n/language';

export interface ConnectionSlice {
  connection: ConnectionState | 'unauthorized' | 'incompatible';
  coreVersion: string | null;
  setConnection(connection: ConnectionSlice['connection']): void;
  setCoreVersion(version: string): void;
}

export interface PictureSlice {
  sectors: Sector[];
  sensors: SensorView[];
  /** Units for panels (positions are drawn from the live store). */
  units: UnitView[];
  /** Open alerts, newest first. */
  alerts: AlertView[];
  trackCount: number;
  log: LogStatus | null;
  setPicture(picture: { sectors: Sector[]; sensors: SensorView[]; units: UnitView[]; alerts: AlertView[]; trackCount: number; log: LogStatus }): void;
  applyDelta(delta: { sensors: SensorView[]; units: UnitView[]; alerts: AlertView[]; trackCount: number }): void;
  setLog(log: LogStatus): void;
}

export interface FeedsSlice {
  feeds: FeedsStatus | null;
  setFeeds(feeds: FeedsStatus): void;
}

export interface MapSlice {
  /** Cursor position over the map, or null when the pointer is elsewhere. */
  cursor: { lat: number; lon: number } | null;
  setCursor(cursor: MapSlice['cursor']): void;
}

export interface LanguageSlice {
  /** The language of every word on screen; saved and applied to <html lang> by main.tsx. */
  language: Language;
  setLanguage(language: Language): void;
  toggleLanguage(): void;
}

export type ConsoleState = ConnectionSlice & PictureSlice & FeedsSlice & MapSlice & LanguageSlice;

/** Replaces items by id, keeping order for known ones and adding new ones. */
function mergeById<T extends { id: string }>(current: T[], changed: T[]): T[] {
  if (changed.length === 0) return current;
  const byId = new Map(changed.map((item) => [item.id, item]));
  const merged = current.map((item) => byId.get(item.id) ?? item);
  const known = new Set(current.map((item) => item.id));
  for (const item of changed) if (!known.has(item.id)) merged.push(item);
  return merged;
}

export const useConsole = create<ConsoleState>()((set) => ({
  connection: 'connecting',
  coreVersion: null,
  setConnection: (connection) => set({ connection }),
  setCoreVersion: (coreVersion) => set({ coreVersion }),

  sectors: [],
  sensors: [],
  units: [],
  alerts: [],
  trackCount: 0,
  log: null,
  setPicture: (picture) => set(picture),
  applyDelta: (delta) =>
    set((state) => ({
      sensors: mergeById(state.sensors, delta.sensors),
      units: mergeById(state.units, delta.units),
      alerts: mergeById(state.alerts, delta.alerts)
        .filter((alert) => alert.status !== 'closed')
        .sort((a, b) => b.time - a.time),
      trackCount: delta.trackCount,
    })),
  setLog: (log) => set({ log }),

  feeds: null,
  setFeeds: (feeds) => set({ feeds }),

  cursor: null,
  setCursor: (cursor) => set({ cursor }),

  language: initialLanguage(),
  setLanguage: (language) => set({ language }),
  toggleLanguage: () => set((state) => ({ language: otherLanguage(state.language) })),
}));
