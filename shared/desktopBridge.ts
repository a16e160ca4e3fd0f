// The IPC channels between the window and the Electron main process, and the
// shape the preload exposes as `window.vigieDesktop`. Named once here so
// main.ts, preload.ts and the console cannot drift apart (preload.ts is
// bundled, so importing this is fine even though sandboxed preloads cannot
// require local files at runtime). In a plain browser there is no bridge.
export const CORE_TOKEN_CHANNEL = 'vigie:core-token';
export const PRINT_TO_PDF_CHANNEL = 'vigie:print-to-pdf';

/** Where the PDF went; null when the operator cancelled the save dialog. */
export interface PrintToPdfResult {
  saved: string | null;
}

export interface VigieDesktopBridge {
  /** The core's per-launch secret, handed over only to our own window's main frame. */
  getCoreToken(): Promise<string>;
  /**
   * Prints the window as its print stylesheet lays it out (Electron's
   * printToPDF) into a file the operator picks in the system's save dialog;
   * `fileName` is only the name proposed there.
   */
  printToPdf(options: { fileName: string }): Promise<PrintToPdfResult>;
}

declare global {
  interface Window {
    vigieDesktop?: VigieDesktopBridge;
  }
}
