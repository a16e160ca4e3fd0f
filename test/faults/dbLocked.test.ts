// The database held by another process (issue 7, "Crashes and faults"): a
// child process takes SQLite's lock on vigie.sqlite and sleeps. `vigie serve`
// and `vigie verify` must say so in one sentence and exit with code 3 — not
// hang, not print a stack trace — and nothing may be damaged: once the lock
// is gone the chain verifies with the same head, and the core starts.
//
// Two holders: `BEGIN EXCLUSIVE` (in WAL mode readers still read, so verify
// works and only serve, which must write, is refused) and `locking_mode =
// EXCLUSIVE` after a write (nobody else may even read: both are refused).
// And a second core on the same data directory: refused at once by the core
// lock (electron/core/db/coreLock.ts), which dies with the first core.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, test } from 'node:test';
import { projectRoot } from '../../electron/core/paths';
import { addDutyAccount, startServe, vigie, writeFastSite } from './harness';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-locked-'));
const dataDir = path.join(root, 'data');
let siteFile = '';
let headBefore = '';
const holders = new Set<ChildProcess>();
after(() => {
  for (const holder of holders) if (holder.exitCode === null && holder.signalCode === null) holder.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

/** A process holding the database's lock until killed. */
async function holdLock(mode: 'transaction' | 'locking-mode'): Promise<ChildProcess> {
  const script = `
    const Database = require(${JSON.stringify(path.join(projectRoot, 'node_modules', 'better-sqlite3'))});
    const db = new Database(${JSON.stringify(path.join(dataDir, 'vigie.sqlite'))});
    if (${JSON.stringify(mode)} === 'locking-mode') db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    // A write, so that the exclusive locking mode really takes the file for itself.
    db.exec("CREATE TABLE IF NOT EXISTS lock_probe (x)");
    console.log('locked');
    setInterval(() => {}, 1000);`;
  const holder = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  holders.add(holder);
  await new Promise<void>((resolve, reject) => {
    readline.createInterface({ input: holder.stdout! }).once('line', () => resolve());
    holder.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  return holder;
}

async function release(holder: ChildProcess): Promise<void> {
  const gone = new Promise((resolve) => holder.once('exit', resolve));
  holder.kill('SIGKILL');
  await gone;
  holders.delete(holder);
}

/** One clear sentence on stderr, no stack trace, exit code 3, within the busy timeout and a margin. */
function assertRefusedClearly(result: Awaited<ReturnType<typeof vigie>>, what: string): void {
  assert.equal(result.status, 3, `${what} should exit 3 (database in use), got ${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`);
  assert.match(
    result.stderr,
    /^vigie: .*vigie\.sqlite is in use by another process, which holds its lock \(waited 5 s\)\. Is another Vigie core or tool running on this data directory\? Nothing was changed/,
  );
  assert.doesNotMatch(result.stderr, /\n\s+at /, `${what}: a stack trace instead of a message`);
  assert.equal(result.stderr.trim().split('\n').length, 1, `${what}: one line expected:\n${result.stderr}`);
  assert.ok(result.ms < 15_000, `${what} took ${result.ms} ms: it should give up after the 5 s busy timeout`);
}

before(async () => {
  siteFile = writeFastSite(root);
  await addDutyAccount(dataDir);
  // A log with something in it: one run of the core.
  const serve = await startServe(dataDir, siteFile);
  serve.child.kill('SIGTERM');
  assert.equal((await serve.exited).code, 0);
  const verified = await vigie(['verify', '--data', dataDir]);
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  headBefore = verified.stdout;
});

test('a process inside BEGIN EXCLUSIVE: serve is refused with a clear message; verify still reads; nothing damaged', { timeout: 60_000 }, async () => {
  const holder = await holdLock('transaction');
  const [served, verified] = await Promise.all([
    vigie(['serve', '--data', dataDir, '--port', '0', '--feed-ports', 'random', '--site', siteFile]),
    vigie(['verify', '--data', dataDir]),
  ]);
  assertRefusedClearly(served, 'vigie serve');
  assert.equal(served.stdout, '', 'no console address may be printed');
  // WAL: a reader is not blocked by a writer, so verify checks the committed log.
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  assert.equal(verified.stdout, headBefore);
  await release(holder);
  const after = await vigie(['verify', '--data', dataDir]);
  assert.equal(after.status, 0, after.stdout + after.stderr);
  assert.equal(after.stdout, headBefore, 'the refused start must not have written anything');
});

test(
  'a process with the exclusive locking mode: serve and verify are refused with a clear message; nothing damaged; the core starts once it is gone',
  { timeout: 60_000 },
  async () => {
    const holder = await holdLock('locking-mode');
    const [served, verified] = await Promise.all([
      vigie(['serve', '--data', dataDir, '--port', '0', '--feed-ports', 'random', '--site', siteFile]),
      vigie(['verify', '--data', dataDir]),
    ]);
    assertRefusedClearly(served, 'vigie serve');
    assertRefusedClearly(verified, 'vigie verify');
    await release(holder);
    const checked = await vigie(['verify', '--data', dataDir]);
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
    assert.equal(checked.stdout, headBefore);
    // And the core runs again on it.
    const serve = await startServe(dataDir, siteFile);
    const session = await serve.signIn();
    assert.ok((await serve.api<{ log: { events: number } }>('picture.get', {}, session)).log.events > 0);
    serve.child.kill('SIGTERM');
    assert.equal((await serve.exited).code, 0);
    const final = await vigie(['verify', '--data', dataDir]);
    assert.equal(final.status, 0, final.stdout + final.stderr);
  },
);

test(
  'a second core on the same data directory is refused at once; the first carries on; once the first is killed, a core starts again',
  { timeout: 60_000 },
  async () => {
    const first = await startServe(dataDir, siteFile);
    holders.add(first.child);
    const second = await vigie(['serve', '--data', dataDir, '--port', '0', '--feed-ports', 'random', '--site', siteFile]);
    assert.equal(second.status, 3, `the second core should exit 3, got ${second.status ?? second.signal}:\n${second.stdout}${second.stderr}`);
    assert.match(
      second.stderr,
      /^vigie: .+ is already served by another Vigie core \(it holds vigie-core\.lock\)\. Nothing was changed; stop the other core, or give this one another --data directory\.\n$/,
    );
    assert.equal(second.stdout, '', 'no console address may be printed');
    assert.ok(second.ms < 5_000, `refused at once, not after a wait (${second.ms} ms)`);

    // The first core was not disturbed: it answers and its log verifies; reading tools still work beside it.
    const session = await first.signIn();
    const before = (await first.api<{ log: { events: number } }>('picture.get', {}, session)).log.events;
    assert.ok(before > 0);
    const beside = await vigie(['verify', '--data', dataDir]);
    assert.equal(beside.status, 0, beside.stdout + beside.stderr);

    // Killed with no chance to clean up: the lock goes with the process, nothing stale is left to refuse the next start.
    first.child.kill('SIGKILL');
    await first.exited;
    const next = await startServe(dataDir, siteFile);
    holders.add(next.child);
    const nextSession = await next.signIn();
    assert.ok((await next.api<{ log: { events: number } }>('picture.get', {}, nextSession)).log.events > before);
    next.child.kill('SIGTERM');
    assert.equal((await next.exited).code, 0, next.stderr());
    const final = await vigie(['verify', '--data', dataDir]);
    assert.equal(final.status, 0, final.stdout + final.stderr);
  },
);
