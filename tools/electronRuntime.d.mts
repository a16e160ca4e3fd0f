// Types for tools/electronRuntime.mjs, so TypeScript callers (e2e specs) can import it.
/** Absolute path of the Electron executable, or null when it is not installed (never downloads). */
export declare function findElectronBinary(root?: string): string | null;
