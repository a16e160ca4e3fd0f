// The `vigie` command as an operator or a script runs it: the built bundle,
// a real data directory, real signals.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { databasePath } from '../../electron/core/db/database';
import { editFileBytes, tempDataDir } from '../helpers';

const bin = path.resolve(__dirname, '../../bin/vigie.cjs');
const built = fs.existsSync(path.resolve(__dirname, '../../dist/cli/vigie.cjs'));
const skip = built ? false : 'the core is not built (npm run build runs first in npm test)';

function vigie(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000 });
}

/** Runs `vigie serve` until its address appears, then stops it with SIGTERM (as Ctrl-C would). */
async function serveOnce(dataDir: string): Promise<{ firstLine: string; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [bin, 'serve', '--data', dataDir, '--port', '0', '--feed-ports', 'random'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return { firstLine, stderr, code: await exited };
}

function exportLines(dataDir: string, ...extra: string[]): Record<string, unknown>[] {
  const result = vigie('export', '--data', dataDir, ...extra);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('vigie command', { skip }, () => {
  test('serve prints exactly the console address first, logs start and stop, and keeps the secret out of logs and data', async () => {
    const dataDir = tempDataDir();
    const { firstLine, stderr, code } = await serveOnce(dataDir);
    const match = /^Vigie console: http:\/\/127\.0\.0\.1:(\d+)\/#token=([0-9a-f]{64})$/.exec(firstLine);
    assert.ok(match, firstLine);
    assert.equal(code, 0, stderr);
    const secret = match[2]!;
    assert.equal(stderr.includes(secret), false, 'secret in the log output');
    for (const entry of fs.readdirSync(dataDir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      assert.equal(fs.readFileSync(file).includes(secret), false, `secret stored in ${file}`);
    }

    const events = exportLines(dataDir);
    assert.deepEqual(Object.keys(events[0]!), ['seq', 'time', 'kind', 'source', 'operator', 'payload', 'hash']);
    assert.equal(events[0]!.kind, 'core.started');
    const sectors = events.filter((event) => event.kind === 'sector.defined');
    assert.ok(sectors.length >= 25 && sectors.length <= 35, `${sectors.length} sectors`);
    assert.equal(events.at(-1)!.kind, 'core.stopped');
    assert.deepEqual((events.at(-1)!.payload as { reason: string }).reason, 'SIGTERM');
    assert.deepEqual(
      events.map((event) => event.seq),
      events.map((_, i) => i + 1),
    );
    for (const event of events) {
      assert.match(event.hash as string, /^[0-9a-f]{64}$/);
      assert.match(event.time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }

    // A second start does not log the sectors again.
    await serveOnce(dataDir);
    const again = exportLines(dataDir);
    assert.equal(again.filter((event) => event.kind === 'sector.defined').length, sectors.length);
    // The stop signs the head as the core leaves it (docs/evidence.md#signed-heads).
    assert.deepEqual(again.map((event) => event.kind).slice(-3), ['core.started', 'head.signed', 'core.stopped']);

    const verify = vigie('verify', '--data', dataDir);
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, new RegExp(`^ok: ${again.length} events in \\d+ blocks checked`));
  });

  test('export filters by time', async () => {
    const dataDir = tempDataDir();
    await serveOnce(dataDir);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await serveOnce(dataDir);
    const all = exportLines(dataDir);
    const secondStart = all.filter((event) => event.kind === 'core.started')[1]!;
    const later = exportLines(dataDir, '--from', secondStart.time as string);
    assert.equal(later[0]!.seq, secondStart.seq);
    const earlier = exportLines(dataDir, '--to', all[0]!.time as string);
    assert.ok(earlier.every((event) => (event.time as string) <= (all[0]!.time as string)));
    const bad = vigie('export', '--data', dataDir, '--from', 'yesterday');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--from must be an ISO-8601 time/);
  });

  test('export refuses a local time the clocks skip or repeat (Europe/Paris) instead of moving it', async () => {
    const dataDir = tempDataDir();
    await serveOnce(dataDir);
    const paris = (...args: string[]) =>
      spawnSync(process.execPath, [bin, 'export', '--data', dataDir, ...args], {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, TZ: 'Europe/Paris' },
      });
    const skipped = paris('--from', '2026-03-29T02:30');
    assert.equal(skipped.status, 2, skipped.stderr);
    assert.match(skipped.stderr, /--from 2026-03-29 02:30 does not exist in local time: the clocks went forward from 02:00 to 03:00 \(UTC\+1 → UTC\+2\)/);
    const repeated = paris('--to', '2026-10-25 02:30');
    assert.equal(repeated.status, 2, repeated.stderr);
    assert.match(repeated.stderr, /--to 2026-10-25 02:30 happens twice in local time .*UTC\+2 .*UTC\+1/);
    // With its offset it is one moment; either side of the repeated hour, a plain local time is fine.
    for (const time of ['2026-10-25T02:30+01:00', '2026-10-25 02:30 UTC+1', '2026-10-25T03:00', '2026-03-29T03:00']) {
      const fine = paris('--from', time);
      assert.equal(fine.status, 0, `${time}: ${fine.stderr}`);
    }
  });

  test('verify names the row whose bytes were edited in the file', async () => {
    const dataDir = tempDataDir();
    await serveOnce(dataDir);
    const sectors = exportLines(dataDir).filter((event) => event.kind === 'sector.defined');
    const target = sectors[Math.floor(sectors.length / 2)]!;
    const name = (target.payload as { name: string }).name;
    // Change the last letter of the sector's name, in the file itself.
    editFileBytes(databasePath(dataDir), `"name":"${name}"`, `"name":"${name.slice(0, -1)}${name.endsWith('z') ? 'y' : 'z'}"`);
    const verify = vigie('verify', '--data', dataDir);
    assert.equal(verify.status, 1);
    assert.match(verify.stdout, new RegExp(`^BROKEN at seq ${target.seq}: event ${target.seq} does not match its recorded hash`));
  });

  test('a database from a newer Vigie is refused with a clear message and not touched', () => {
    const dataDir = tempDataDir();
    const db = new Database(databasePath(dataDir));
    db.pragma('user_version = 999');
    db.close();
    const before = fs.readFileSync(databasePath(dataDir));
    for (const command of ['serve', 'verify', 'export']) {
      const result = vigie(command, '--data', dataDir);
      assert.equal(result.status, 2, command);
      assert.match(result.stderr, /written by a newer Vigie \(schema version 999/);
    }
    assert.deepEqual(fs.readFileSync(databasePath(dataDir)), before);
  });

  test('a bad site file stops start-up with the field named, and writes nothing', () => {
    const dir = tempDataDir();
    const siteFile = path.join(dir, 'site.json');
    fs.writeFileSync(siteFile, JSON.stringify({ version: 1, name: 'x', listeners: {}, sensors: [], units: [] }));
    const result = vigie('serve', '--data', path.join(dir, 'data'), '--site', siteFile);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /site\.json: listeners\.cot: /);
    assert.equal(result.stdout, '');
    assert.equal(fs.existsSync(path.join(dir, 'data')), false);
  });

  test('--help, for the command and for each of its commands, prints help and exits 0, doing nothing else', () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const result = vigie(...args);
      assert.equal(result.status, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stdout, /^Vigie .*\n\nUsage:\n/);
      for (const command of ['serve', 'simulate', 'verify', 'export', 'user add']) assert.match(result.stdout, new RegExp(`vigie ${command} `), args.join(' '));
      assert.equal(result.stderr, '');
    }
    const dir = tempDataDir();
    const data = path.join(dir, 'data');
    const commands: [string, string[]][] = [
      ['serve', ['serve', '--data', data, '--port', '0']],
      ['simulate', ['simulate', '--duration', '1']],
      ['verify', ['verify', '--data', data]],
      ['verify', ['verify', path.join(dir, 'evidence.json')]],
      ['export', ['export', '--data', data, '--shift', '1', '--out', path.join(dir, 'out.json')]],
      ['user add', ['user']],
      ['user add', ['user', 'add', 'marie', '--role', 'operator', '--data', data]],
    ];
    for (const [command, args] of commands) {
      for (const flag of ['--help', '-h']) {
        const result = vigie(...args, flag);
        const said = `${[...args, flag].join(' ')}: ${result.stderr}`;
        assert.equal(result.status, 0, said);
        assert.match(result.stdout, new RegExp(`^Usage:\\n  vigie ${command} `), said);
        assert.equal(result.stderr, '', said);
      }
      const help = vigie('help', command.split(' ')[0]!);
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout, new RegExp(`^Usage:\\n  vigie ${command} `));
    }
    // Nothing ran: no data directory, no file written.
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  test('bad usage explains itself', () => {
    const unknown = vigie('launch');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "launch"[\s\S]*Usage:/);
    const port = vigie('serve', '--port', 'abc', '--data', tempDataDir());
    assert.equal(port.status, 2);
    assert.match(port.stderr, /--port must be/);
    // The uplink's stream settings (docs/scale.md): refused before anything starts.
    const uplink = ['serve', '--data', tempDataDir(), '--post-name', 'CALAIS', '--uplink', 'nats://127.0.0.1:4222'];
    const replicas = vigie(...uplink, '--uplink-replicas', '7');
    assert.equal(replicas.status, 2);
    assert.match(replicas.stderr, /--uplink-replicas is the number of copies of the post's stream on the NATS cluster, 1–5 .*got "7"/);
    const maxBytes = vigie(...uplink, '--uplink-max-bytes', '12X');
    assert.equal(maxBytes.status, 2);
    assert.match(maxBytes.stderr, /uplink maxBytes: a size: bytes, or a number with K, M, G or T \(e\.g\. 200G\)/);
    const tooSmall = vigie(...uplink, '--uplink-max-bytes', '1000');
    assert.equal(tooSmall.status, 2);
    assert.match(tooSmall.stderr, /uplink maxBytes: at least 1M/);
    const missing = vigie('verify', '--data', path.join(tempDataDir(), 'nothing-here'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no Vigie database/);
  });
});
