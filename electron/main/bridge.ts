// The one IPC channel between the window and the main process, and the shape
// the preload exposes as `window.vigieDesktop`. Named once here so main.ts and
// preload.ts cannot drift apart (preload.ts is bundled, so importing this is
// fine even though sandboxed preloads cannot require local files at runtime).
export const CORE_TOKEN_CHANNEL = 'vigie:core-token';

export interface VigieDesktopBridge {
  /** The core's per-launch secret, handed over only to our own window's main frame. */
  getCoreToken(): Promise<string>;
}
