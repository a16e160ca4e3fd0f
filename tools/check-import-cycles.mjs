#!/usr/bin/env node
// Fails when files import each other in a circle (a → b → … → a), type-only
// imports included: a circle means two files cannot be understood, tested or
// moved apart. Part of `npm run lint`. Relative imports only — packages
// cannot import our files. Prints each circle once, as the path around it.
// Usage: node tools/check-import-cycles.mjs [ROOT] (default: this project).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = process.argv[2] ? path.resolve(process.argv[2]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['electron', 'renderer', 'shared', 'bench', 'test', 'e2e', 'tools'];
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.mjs', '.cjs', '.js'];
const SKIP = new Set(['node_modules', 'dist', '.cache', 'fixtures']);

function* sourceFiles(folder) {
  if (!fs.existsSync(folder)) return;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) yield* sourceFiles(full);
    } else if (EXTENSIONS.includes(path.extname(entry.name)) && !entry.name.endsWith('.d.ts')) {
      yield full;
    }
  }
}

/**
 * Every module a file names: import … from, export … from, import '…',
 * import('…'), require('…'), read by TypeScript's own scanner (comments and
 * strings are never mistaken for imports, nor an import for a comment).
 */
function specifiers(text) {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

function resolve(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [base, ...EXTENSIONS.map((ext) => base + ext), ...EXTENSIONS.map((ext) => path.join(base, `index${ext}`))];
  // `./x.js` written for a `./x.ts` file (ESM style)
  if (/\.[cm]?js$/.test(base)) candidates.push(base.replace(/\.([cm]?)js$/, '.$1ts'));
  return candidates.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
}

const graph = new Map();
for (const folder of FOLDERS) {
  for (const file of sourceFiles(path.join(root, folder))) {
    const targets = new Set();
    for (const specifier of specifiers(fs.readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue;
      const target = resolve(file, specifier);
      if (target) targets.add(target);
    }
    graph.set(file, targets);
  }
}

// Tarjan's strongly connected components: every component of two or more files holds a circle.
let index = 0;
const indexOf = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const components = [];
function connect(file) {
  indexOf.set(file, index);
  low.set(file, index);
  index += 1;
  stack.push(file);
  onStack.add(file);
  for (const target of graph.get(file) ?? []) {
    if (!graph.has(target)) continue;
    if (!indexOf.has(target)) {
      connect(target);
      low.set(file, Math.min(low.get(file), low.get(target)));
    } else if (onStack.has(target)) {
      low.set(file, Math.min(low.get(file), indexOf.get(target)));
    }
  }
  if (low.get(file) === indexOf.get(file)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.has(file)) components.push(component);
  }
}
for (const file of graph.keys()) if (!indexOf.has(file)) connect(file);

/** One circle inside a component, found by walking from its first file back to it. */
function circleIn(component) {
  const members = new Set(component);
  const start = [...component].sort()[0];
  const seen = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const target of graph.get(file) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const circle = [start];
        for (let at = file; at !== start; at = seen.get(at)) circle.splice(1, 0, at);
        return [...circle, start];
      }
      if (!seen.has(target)) {
        seen.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

const relative = (file) => path.relative(root, file);
if (components.length > 0) {
  process.stderr.write(`import circles: ${components.length}\n`);
  for (const component of components)
    process.stderr.write(`  ${circleIn(component).map(relative).join(' → ')}${component.length > 2 ? ` (${component.length} files in all)` : ''}\n`);
  process.exit(1);
}
process.stdout.write(`import circles: none among ${graph.size} files\n`);
