// Electronegativity (Doyensec's static checker for Electron apps) over the
// app's code — the shell, the core, the renderer, the contract, with
// package.json for the Electron version — must report nothing. A canary run
// over a deliberately unsafe window proves the tool ran and can find things.
// Suppressions are `eng-disable` comments on the line, each with its reason
// (see docs/security.md for the list).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'node_modules/@doyensec/electronegativity/dist/index.js');
const skip = fs.existsSync(cli) ? false : '@doyensec/electronegativity is not installed (npm ci installs it)';

const EXCLUDED = [
  // Downloads Electron's release list to compare versions: needs the internet, which the build machines do not have.
  'AvailableSecurityFixesGlobalCheck',
  // Informational only: it reports the Electron version it read from package.json, and is not a finding about the code.
  'ElectronVersionJSONCheck',
];

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[];
}

function run(input: string, output: string): Promise<SarifResult[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cli, '-i', input, '-x', EXCLUDED.join(','), '-r', '-v', 'false', '-o', output],
      { timeout: 240_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`electronegativity failed: ${error.message}\n${stderr}`));
        if (/misspelt/.test(stderr + stdout)) return reject(new Error(`electronegativity did not accept the exclusions: ${stderr}`));
        const sarif = JSON.parse(fs.readFileSync(output, 'utf8')) as { runs: { results: SarifResult[] }[] };
        resolve(sarif.runs.flatMap((r) => r.results));
      },
    );
  });
}

const describeResult = (r: SarifResult) =>
  `${r.ruleId} ${r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '?'}:${r.locations?.[0]?.physicalLocation?.region?.startLine ?? '?'} ${r.message.text}`;

describe('electronegativity', { skip }, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-eng-'));
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  test('the app (electron/, renderer/, shared/, package.json) has zero findings, and an unsafe window is caught', async () => {
    // The app's own code only: not its tests, tools or node_modules.
    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    for (const dir of ['electron', 'renderer', 'shared']) fs.cpSync(path.join(root, dir), path.join(app, dir), { recursive: true });
    fs.copyFileSync(path.join(root, 'package.json'), path.join(app, 'package.json'));

    const canary = path.join(work, 'canary');
    fs.mkdirSync(canary);
    fs.copyFileSync(path.join(root, 'package.json'), path.join(canary, 'package.json'));
    fs.writeFileSync(
      path.join(canary, 'main.js'),
      "const { app, BrowserWindow } = require('electron');\napp.whenReady().then(() => {\n  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });\n  win.loadURL('http://example.com/');\n});\n",
    );

    const [findings, caught] = await Promise.all([run(app, path.join(work, 'app.sarif')), run(canary, path.join(work, 'canary.sarif'))]);
    assert.deepEqual(findings.map(describeResult), []);
    const rules = new Set(caught.map((r) => r.ruleId));
    for (const rule of ['SANDBOX_JS_CHECK', 'AUXCLICK_JS_CHECK', 'CONTEXT_ISOLATION_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK'])
      assert.ok(rules.has(rule), `the canary should trip ${rule}; got ${[...rules].join(', ')}`);
  });
});
