// The desktop app's settings (issue 15): run this machine's own post, or join
// a post's room address as a seat. Stored by the Electron main process as
// desktop-settings.json in its userData folder; edited in the Settings window
// (renderer/settings/), whose preload exposes `window.vigieSettings`. The
// schema is here so main, preload and page validate the same shape.
import { z } from 'zod';
import { parseHostPort } from './hostPort';

export const SETTINGS_LOAD_CHANNEL = 'vigie:settings-load';
export const SETTINGS_SAVE_CHANNEL = 'vigie:settings-save';
export const SETTINGS_FORGET_PIN_CHANNEL = 'vigie:settings-forget-pin';
export const SETTINGS_RESTART_CHANNEL = 'vigie:settings-restart';

/** A certificate's SHA-256 as `vigie serve` prints it: 32 bytes, uppercase hex, colons. */
export const FINGERPRINT = /^(?:[0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/** The same fingerprint typed by hand: any case, colons, spaces or nothing between the bytes. Null if it is not 32 bytes of hex. */
export function normaliseFingerprint(raw: string): string | null {
  const hex = raw.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

const hostPort = z.string().refine((value) => parseHostPort(value) !== null, { message: 'HOST:PORT, e.g. 192.168.10.5:8443 or [::1]:8443' });

export const DesktopSettings = z.strictObject({
  /** `own`: start this machine's core (the post); `join`: be a seat of the post at `join.address`. */
  mode: z.enum(['own', 'join']),
  /** Own post only: also open it to the room's other seats at HOST:PORT (`vigie serve --room`); null: loopback only. */
  room: hostPort.nullable(),
  /** Join only: the post's room address, and the fingerprint it printed (null: trusted on first use, after a question). */
  join: z.strictObject({ address: hostPort, fingerprint: z.string().regex(FINGERPRINT).nullable() }).nullable(),
});
export type DesktopSettings = z.infer<typeof DesktopSettings>;

export const DEFAULT_SETTINGS: DesktopSettings = { mode: 'own', room: null, join: null };

/** A certificate pinned for a post (post-pins.json). */
export interface PostPin {
  address: string;
  fingerprint: string;
  /** ISO-8601, when it was pinned. */
  pinnedAt: string;
}

export interface SettingsView {
  settings: DesktopSettings;
  pins: PostPin[];
  /** The file the settings are kept in, shown so an operator knows where to look. */
  file: string;
  /** Set when the command line overrides the settings (--join, --room): what it says. */
  commandLine: string | null;
  /** Own post open to the room: its address and certificate fingerprint as the core announced them (for seats to compare). */
  room: { url: string; fingerprint: string } | null;
}

export type SaveResult = { saved: true } | { saved: false; problem: string };

export interface VigieSettingsBridge {
  load(): Promise<SettingsView>;
  save(settings: DesktopSettings): Promise<SaveResult>;
  /** Forgets the pinned certificate of a post: the next connection asks again. */
  forgetPin(address: string): Promise<PostPin[]>;
  /** Restarts the app so the saved settings take effect. */
  restart(): Promise<void>;
}

declare global {
  interface Window {
    vigieSettings?: VigieSettingsBridge;
  }
}
