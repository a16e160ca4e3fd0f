// The one set of webPreferences every window of the app gets (the console,
// its pop-outs on a second monitor, the Settings window), and which URLs may
// open a window at all. Electron's security checklist, items 2–11, lives
// here once (docs/security.md). Plain Node (type imports only), unit-tested.
import type { WebPreferences } from 'electron';

/** Hardened preferences; only the preload differs between windows. */
export function secureWebPreferences({ preload, devTools }: { preload: string; devTools: boolean }): WebPreferences {
  return {
    preload, // eng-disable PRELOAD_JS_CHECK -- reviewed: both sandboxed preloads (preload.ts, settingsPreload.ts) expose a few functions through contextBridge and never ipcRenderer itself (docs/security.md)
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false, // and no enableBlinkFeatures
    disableBlinkFeatures: 'Auxclick', // a middle click cannot open a link in a new window (electronegativity AUXCLICK_JS_CHECK)
    webviewTag: false,
    spellcheck: false, // also avoids dictionary downloads
    devTools,
  };
}

const ORIGIN_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'vigie:']);

/**
 * `scheme://host[:port]` of a URL, compared exactly (never startsWith:
 * http://127.0.0.1:PORT@evil.example is evil.example). Written out rather
 * than URL.origin, which is "null" for the app's own vigie:// scheme.
 */
export function originKey(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (!ORIGIN_SCHEMES.has(url.protocol) || url.username !== '' || url.password !== '') return undefined;
  return `${url.protocol}//${url.host}`;
}

export type PopoutKind = 'queue' | 'incident';

/**
 * Which panel a window.open() asks to pop out (renderer/room/popout.ts opens
 * `/#popout=queue` or `/#popout=incident`), or null: every other URL, and
 * these on any other origin or path, is denied.
 */
export function popoutRequest(raw: string, consoleOrigin: string | undefined): PopoutKind | null {
  if (consoleOrigin === undefined || originKey(raw) !== consoleOrigin) return null;
  const url = new URL(raw);
  if (url.pathname !== '/' || url.search !== '') return null;
  return url.hash === '#popout=queue' ? 'queue' : url.hash === '#popout=incident' ? 'incident' : null;
}
