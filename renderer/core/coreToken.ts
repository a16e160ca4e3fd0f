// Where the console gets the core's per-launch secret: from the desktop
// preload bridge, or from the address fragment (#token=…) in a browser. The
// fragment is never sent over HTTP; it is moved to sessionStorage and wiped
// from the address bar so it does not linger on screen or in history.
// window.vigieDesktop: declared in shared/desktopBridge.ts.

const STORAGE_KEY = 'vigie.coreToken';

export async function findCoreToken(): Promise<string | undefined> {
  if (window.vigieDesktop) return window.vigieDesktop.getCoreToken();
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(STORAGE_KEY, fromHash);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
}
