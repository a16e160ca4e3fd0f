#!/usr/bin/env node
// Entry point of the `vigie` command: runs the built core (npm run build).
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'core', 'cli.cjs');
if (!fs.existsSync(cli)) {
  process.stderr.write('vigie: the core is not built yet; run `npm run build` first.\n');
  process.exit(2);
}
require(cli);
