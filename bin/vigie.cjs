#!/usr/bin/env node
// Entry point of the `vigie` command: runs the built core. In a source
// checkout that has not been built yet, builds it first (output on stderr,
// so stdout stays exactly the command's own).
const path = require('node:path');
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli', 'vigie.cjs');
const builder = path.join(root, 'tools', 'build.mjs');
if (!fs.existsSync(cli)) {
  if (!fs.existsSync(builder)) {
    process.stderr.write('vigie: the core is not built (dist/cli/vigie.cjs is missing).\n');
    process.exit(2);
  }
  execFileSync(process.execPath, [builder], { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
}
require(cli);
