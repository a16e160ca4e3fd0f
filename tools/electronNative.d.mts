// Types for tools/electronNative.mjs, so TypeScript callers (e2e specs) can import it.
/** Path of a better_sqlite3.node built for the installed Electron; builds it on first use. */
export declare function ensureElectronSqliteBinding(root: string): string;
