// Field devices on screen (issue 13): every TAK device heard, as the core
// lists them and pushes their changes (`devices.changed`). Kept apart from
// the console store: only the devices panel and its map layer read it.
import { create } from 'zustand';
import type { DeviceView } from '../../shared/contract';

export interface DeviceState {
  devices: Record<string, DeviceView>;
  /** The last refusal or failure, worded, for the panel. */
  message: string | null;
  replaceAll(devices: DeviceView[]): void;
  apply(changed: DeviceView[]): void;
  setMessage(message: string | null): void;
}

export const useDevices = create<DeviceState>()((set) => ({
  devices: {},
  message: null,
  replaceAll: (devices) => set({ devices: Object.fromEntries(devices.map((device) => [device.id, device])) }),
  apply: (changed) => set((state) => ({ devices: { ...state.devices, ...Object.fromEntries(changed.map((device) => [device.id, device])) } })),
  setMessage: (message) => set({ message }),
}));

/** Past its own stale time (as the device set it), a device is shown greyed. */
export function isStale(device: DeviceView, now: number): boolean {
  return device.stale !== null && device.stale < now;
}
