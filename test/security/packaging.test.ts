// electron-builder.yml, validated as far as it can be without the Electron
// binary: loaded and checked by electron-builder's own loader and schema
// validator, then held to what docs/security.md and docs/desktop.md promise —
// AppImage, deb and NSIS targets; the fuses; better-sqlite3 shipped, rebuilt
// for Electron and unpacked from the asar; only the built app packaged.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

const root = path.resolve(__dirname, '../..');

interface BuilderConfig {
  asar?: boolean;
  asarUnpack?: string[];
  npmRebuild?: boolean;
  /** As electron-builder normalises it: patterns, or `{ filter: patterns }` entries. */
  files?: (string | { from?: string; to?: string; filter?: string[] })[];
  directories?: { output?: string };
  electronFuses?: Record<string, boolean>;
  linux?: { target?: (string | { target: string })[] };
  win?: { target?: (string | { target: string })[] };
  nsis?: { deleteAppDataOnUninstall?: boolean };
}

/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder's internals are CommonJS, loaded the way its CLI loads them */
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, string | number> };
/* eslint-enable @typescript-eslint/no-require-imports */

/** electron-builder's glob subset used here: `**` any path, `*` within one segment, `!` negation handled by the caller. */
function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else out += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Would electron-builder's `files` list take this path (last matching pattern wins)? */
function included(patterns: string[], file: string): boolean {
  let taken = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (globToRegExp(negated ? pattern.slice(1) : pattern).test(file)) taken = !negated;
  }
  return taken;
}

const targets = (list: (string | { target: string })[] | undefined) => (list ?? []).map((t) => (typeof t === 'string' ? t : t.target));

describe('electron-builder.yml', async () => {
  const config = await getConfig(root, 'electron-builder.yml', null);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    main: string;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  test("passes electron-builder's own schema validation, which does refuse a misspelt fuse", async () => {
    await validateConfiguration(config, new DebugLogger(false));
    const broken = { ...config, electronFuses: { ...config.electronFuses, runAsnode: false } };
    await assert.rejects(validateConfiguration(broken, new DebugLogger(false)), /electronFuses/);
  });

  test('targets: Linux AppImage and deb, Windows NSIS; uninstalling keeps the event log', () => {
    assert.deepEqual(targets(config.linux?.target).sort(), ['AppImage', 'deb']);
    assert.deepEqual(targets(config.win?.target), ['nsis']);
    assert.equal(config.nsis?.deleteAppDataOnUninstall, false);
  });

  test('fuses: no Node mode, no NODE_OPTIONS, no inspector; app only from an integrity-checked asar; no file:// privileges', () => {
    const fuses = config.electronFuses ?? {};
    const expected: Record<string, boolean> = {
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
      loadBrowserProcessSpecificV8Snapshot: false,
    };
    for (const [fuse, value] of Object.entries(expected)) assert.equal(fuses[fuse], value, `fuse ${fuse}`);
    // Every fuse named is one @electron/fuses knows (electron-builder maps them one to one).
    const known = new Set(
      Object.keys(FuseV1Options)
        .filter((key) => Number.isNaN(Number(key)))
        .map((key) => key[0]!.toLowerCase() + key.slice(1)),
    );
    for (const fuse of Object.keys(fuses)) assert.ok(known.has(fuse), `unknown fuse ${fuse}`);
    // The asar integrity fuse only means something with the app inside an asar.
    assert.equal(config.asar, true);
  });

  test('better-sqlite3 is shipped, rebuilt for Electron, and its .node addon unpacked from the asar', () => {
    assert.ok(pkg.dependencies['better-sqlite3'], 'better-sqlite3 must be a production dependency to be packaged');
    assert.equal(pkg.devDependencies['better-sqlite3'], undefined);
    assert.equal(config.npmRebuild, true, 'npmRebuild rebuilds native modules for the Electron ABI');
    const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    assert.ok(fs.existsSync(path.join(root, addon)), `${addon} exists in this tree`);
    assert.ok(
      (config.asarUnpack ?? []).some((pattern) => globToRegExp(pattern).test(addon)),
      `asarUnpack ${JSON.stringify(config.asarUnpack)} must cover ${addon}`,
    );
  });

  test('only the built app is packaged, and not into our own build folder', () => {
    const files = (config.files ?? []).flatMap((entry) => (typeof entry === 'string' ? [entry] : entry.from === undefined ? (entry.filter ?? []) : []));
    assert.ok(files.length > 0, JSON.stringify(config.files));
    for (const file of [pkg.main, 'dist/electron/preload.cjs', 'dist/cli/vigie.cjs', 'dist/renderer/index.html', 'assets/LICENSES.md', 'package.json'])
      assert.ok(included(files, file), `${file} is packaged`);
    for (const file of [
      'dist/electron/main.cjs.map',
      'electron/main/main.ts',
      'test/security/packaging.test.ts',
      'node_modules/electron/dist/electron',
      '.env',
    ])
      assert.equal(included(files, file), false, `${file} is not packaged`);
    assert.equal(pkg.main, 'dist/electron/main.cjs');
    assert.notEqual(config.directories?.output ?? 'dist', 'dist', 'packages must not land in dist/, which is what gets packaged');
  });
});
