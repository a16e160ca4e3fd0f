// Sandboxed preload: exposes exactly two functions to the page. The raw
// ipcRenderer never crosses the bridge, so page script can only ask for the
// token or for a PDF of the window, and main.ts still checks who is asking.
import { contextBridge, ipcRenderer } from 'electron';
import { CORE_TOKEN_CHANNEL, PRINT_TO_PDF_CHANNEL, type VigieDesktopBridge } from '../../shared/desktopBridge';

const bridge: VigieDesktopBridge = {
  getCoreToken: async () => {
    const token: unknown = await ipcRenderer.invoke(CORE_TOKEN_CHANNEL);
    if (typeof token !== 'string') throw new Error('The desktop shell returned no core token.');
    return token;
  },
  printToPdf: async (options) => {
    // Only a string crosses: nothing the page passes can reach the main process as an object.
    const result: unknown = await ipcRenderer.invoke(PRINT_TO_PDF_CHANNEL, String(options.fileName));
    const saved = (result as { saved?: unknown } | null)?.saved;
    if (saved !== null && typeof saved !== 'string') throw new Error('The desktop shell gave no answer about the PDF.');
    return { saved };
  },
};

contextBridge.exposeInMainWorld('vigieDesktop', bridge);
