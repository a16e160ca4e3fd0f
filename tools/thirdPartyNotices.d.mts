// Types of tools/thirdPartyNotices.mjs for the TypeScript tests.
import type { Metafile } from 'esbuild';

export interface ThirdPartyNotice {
  name: string;
  version: string;
  license: string;
  homepage: string | null;
  text: string;
}
export function bundledPackages(metafiles: Metafile[]): Set<string>;
export function withRuntimeDependencies(root: string, names: Iterable<string>): Set<string>;
export function collectNotices(root: string, names: Iterable<string>): { notices: ThirdPartyNotice[]; missing: { name: string; reason: string }[] };
export function noticesText(notices: ThirdPartyNotice[]): string;
export function shippedPackages(root: string, manifest: { dependencies?: Record<string, string> }, metafiles: Metafile[]): Set<string>;
