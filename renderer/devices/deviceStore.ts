// Field devices on screen (issue 13): every TAK device heard, as the core
// lists them and pushes their changes (`devices.changed`). Kept apart from
// the console store: only the devices panel and its map layer read it.
import { create } from 'zustand';
import type { DeviceView, FieldPointView } from '../../shared/contract';

export interface DeviceState {
  devices: Record<string, DeviceView>;
  /** Points and markers placed on devices. */
  points: Record<string, FieldPointView>;
  /** The last refusal or failure, worded, for the panel. */
  message: string | null;
  replaceAll(devices: DeviceView[]): void;
  apply(changed: DeviceView[]): void;
  replacePoints(points: FieldPointView[]): void;
  applyPoints(changed: FieldPointView[], removed: string[]): void;
  setMessage(message: string | null): void;
}

export const useDevices = create<DeviceState>()((set) => ({
  devices: {},
  points: {},
  message: null,
  replacePoints: (points) => set({ points: Object.fromEntries(points.map((point) => [point.id, point])) }),
  applyPoints: (changed, removed) =>
    set((state) => {
      const points = { ...state.points, ...Object.fromEntries(changed.map((point) => [point.id, point])) };
      for (const id of removed) delete points[id];
      return { points };
    }),
  replaceAll: (devices) => set({ devices: Object.fromEntries(devices.map((device) => [device.id, device])) }),
  apply: (changed) => set((state) => ({ devices: { ...state.devices, ...Object.fromEntries(changed.map((device) => [device.id, device])) } })),
  setMessage: (message) => set({ message }),
}));

/** Past its own stale time (as the device set it), a device is shown greyed. */
export function isStale(device: { stale: number | null }, now: number): boolean {
  return device.stale !== null && device.stale < now;
}
