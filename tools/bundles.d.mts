// Types of tools/bundles.mjs for the TypeScript tests.
import type { BuildOptions } from 'esbuild';

export const EXTERNAL_PACKAGES: string[];
export function bundleOptions(root: string, dist: string): BuildOptions[];
