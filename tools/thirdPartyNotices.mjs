// The licence notices of every third-party package that ships in the app:
// the packages esbuild bundled (read from its metafiles, so a new import is
// listed without anyone remembering to) and the externals electron-builder
// packs as they are (better-sqlite3 and what it requires, the Electron
// runtime). A package whose licence text cannot be found is an error: the
// build stops (tools/build.mjs), and test/tools/thirdPartyNotices.test.ts
// fails.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Licence files in a package's root, in order of preference. */
const LICENCE_FILE = /^(licen[cs]e|copying)([-.].*)?$/i;

/** Packages named in a metafile's inputs (`node_modules/NAME/…` or `node_modules/@SCOPE/NAME/…`). */
export function bundledPackages(metafiles) {
  const names = new Set();
  for (const metafile of metafiles) {
    for (const input of Object.keys(metafile.inputs)) {
      // The last node_modules in the path is the package the file belongs to.
      const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match) names.add(match[1]);
    }
  }
  return names;
}

/** An external package and every package it depends on at run time (its `dependencies`, recursively). */
export function withRuntimeDependencies(root, names) {
  const found = new Set();
  const visit = (name) => {
    if (found.has(name)) return;
    const manifest = path.join(root, 'node_modules', name, 'package.json');
    if (!existsSync(manifest)) return; // an optional accelerator (bufferutil…) not installed: not shipped either
    found.add(name);
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const dependency of Object.keys(pkg.dependencies ?? {})) visit(dependency);
  };
  for (const name of names) visit(name);
  return found;
}

/**
 * The notice of each package: name, version, licence identifier, homepage and
 * the licence text as the package ships it. Missing texts are listed in
 * `missing` (with the reason), never invented.
 */
export function collectNotices(root, names) {
  const notices = [];
  const missing = [];
  for (const name of [...names].sort()) {
    const dir = path.join(root, 'node_modules', name);
    const manifestFile = path.join(dir, 'package.json');
    if (!existsSync(manifestFile)) {
      missing.push({ name, reason: `node_modules/${name}/package.json not found` });
      continue;
    }
    const pkg = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const licence = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? null);
    const files = readdirSync(dir)
      .filter((file) => LICENCE_FILE.test(file))
      .sort();
    const text = files.map((file) => readFileSync(path.join(dir, file), 'utf8').trim()).join('\n\n');
    if (!licence) missing.push({ name, reason: 'its package.json names no licence' });
    else if (text === '') missing.push({ name, reason: `no LICENSE/LICENCE/COPYING file in node_modules/${name}` });
    else
      notices.push({
        name,
        version: pkg.version,
        license: licence,
        homepage: typeof pkg.homepage === 'string' ? pkg.homepage : null,
        text,
      });
  }
  return { notices, missing };
}

/** The notices as one plain-text file (shipped beside the app, readable without it). */
export function noticesText(notices) {
  const rule = '='.repeat(78);
  const head = [
    'Vigie — third-party software notices',
    '',
    'Vigie ships the following open-source packages. Each is listed with its',
    'licence text, as its authors publish it. The open geographic data shipped',
    'in assets/ (OpenStreetMap, GeoNames) is listed in assets/LICENSES.md.',
    '',
  ];
  const body = notices.flatMap((notice) => [
    rule,
    `${notice.name} ${notice.version} — ${notice.license}${notice.homepage ? ` — ${notice.homepage}` : ''}`,
    rule,
    '',
    notice.text,
    '',
  ]);
  return [...head, ...body].join('\n');
}

/**
 * Everything that ships: the packages in the bundles, the package's own
 * production dependencies with theirs (packed by electron-builder as they
 * are), and the Electron runtime (its own dependencies are install-time only).
 */
export function shippedPackages(root, manifest, metafiles) {
  const names = bundledPackages(metafiles);
  for (const name of withRuntimeDependencies(root, Object.keys(manifest.dependencies ?? {}))) names.add(name);
  names.add('electron');
  return names;
}
