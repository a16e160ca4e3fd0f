// Sandboxed preload: exposes exactly one function to the page. The raw
// ipcRenderer never crosses the bridge, so page script can only ask for the
// token, and main.ts still checks who is asking.
import { contextBridge, ipcRenderer } from 'electron';
import { CORE_TOKEN_CHANNEL, type VigieDesktopBridge } from './bridge';

const bridge: VigieDesktopBridge = {
  getCoreToken: async () => {
    const token: unknown = await ipcRenderer.invoke(CORE_TOKEN_CHANNEL);
    if (typeof token !== 'string') throw new Error('The desktop shell returned no core token.');
    return token;
  },
};

contextBridge.exposeInMainWorld('vigieDesktop', bridge);
