// Online backup (issue 18): `vigie backup` taken while a real core is fed
// over its sockets gives a copy that `vigie verify` passes on its own, whose
// blocks are exactly the live log's; a target that is the data directory (or
// inside it), that cannot be written, or that fills up is refused or fails
// with a clear message — the live data and the previous backup untouched.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { blockHashThrough } from '../../electron/core/log/eventLog';
import { projectRoot } from '../../electron/core/paths';
import { tempDataDir, until } from '../helpers';
import { addDutyAccount, startServe, vigie, writeFastSite, type Serve } from './harness';

const built = fs.existsSync(path.join(projectRoot, 'dist/cli/vigie.cjs'));
const RATE = 4_000; // messages/s over two TCP feeds

/** Each block's hash and last seq. */
function blockHashes(file: string): Map<number, { hash: string; lastSeq: number }> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT block, last_seq, hash FROM log_blocks').all() as { block: number; last_seq: number; hash: Buffer }[];
    return new Map(rows.map((row) => [row.block, { hash: row.hash.toString('hex'), lastSeq: row.last_seq }]));
  } finally {
    db.close();
  }
}

function eventCount(dataDir: string): number {
  const db = new Database(path.join(dataDir, 'vigie.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function feed(serve: Serve): Promise<{ stop(): Promise<void> }> {
  const jsonPort = await serve.feedPort('json', 'tcp');
  const nmeaPort = await serve.feedPort('nmea', 'tcp', 'RAD-GRISNEZ');
  const sender = spawn(process.execPath, [path.join(__dirname, 'loadSender.mjs'), String(jsonPort), String(nmeaPort), String(RATE), '0', '0', '0'], {
    stdio: 'ignore',
  });
  const gone = new Promise((resolve) => sender.once('exit', resolve));
  return {
    async stop() {
      sender.kill('SIGTERM');
      await gone;
    },
  };
}

describe('vigie backup', { skip: built ? false : 'npm run build first' }, () => {
  test('under load: each backup verifies alone and holds exactly the live blocks up to its head', async () => {
    const dir = tempDataDir();
    const dataDir = path.join(dir, 'data');
    const site = writeFastSite(dir);
    await addDutyAccount(dataDir);
    const serve = await startServe(dataDir, site);
    const load = await feed(serve);
    try {
      await until(() => eventCount(dataDir) > 5_000, 'the feed to be logged', 20_000);
      const backups: { dir: string; lastSeq: number; ms: number }[] = [];
      for (const n of [1, 2, 3]) {
        const target = path.join(dir, `backup-${n}`);
        const result = await vigie(['backup', '--data', dataDir, '--to', target]);
        assert.equal(result.status, 0, result.stderr);
        const match = /^ok: backed up (\d+) events \((\d+) blocks; head ([0-9a-f]{64})\) to (.+), (\d+) bytes in (\d+) ms$/.exec(result.stdout.trim());
        assert.ok(match, result.stdout);
        assert.equal(match[4], path.join(fs.realpathSync(dir), `backup-${n}`, 'vigie.sqlite'));
        backups.push({ dir: target, lastSeq: Number(match[1]), ms: Number(match[6]) });
        const verified = await vigie(['verify', '--data', target]);
        assert.equal(verified.status, 0, verified.stdout);
        assert.match(verified.stdout, new RegExp(`^ok: ${match[1]} events in ${match[2]} blocks checked; head ${match[3]}`));
        assert.deepEqual(fs.readdirSync(target), ['vigie.sqlite'], 'no journal, WAL or partial file left beside the backup');
      }
      // Taken while the feed ran: each backup is further along than the one before.
      assert.ok(backups[1]!.lastSeq > backups[0]!.lastSeq && backups[2]!.lastSeq > backups[1]!.lastSeq, JSON.stringify(backups));
      await load.stop();
      serve.child.kill('SIGTERM');
      assert.equal((await serve.exited).code, 0, serve.stderr());
      // Every block of every backup is the live log's block of that number: a prefix of the live chain
      // (the last one as the live block stood at that seq: blocks grow commit by commit).
      const liveDb = new Database(path.join(dataDir, 'vigie.sqlite'), { readonly: true, fileMustExist: true });
      try {
        for (const backup of backups) {
          const copied = blockHashes(path.join(backup.dir, 'vigie.sqlite'));
          assert.ok(copied.size > 0);
          for (const [block, { hash, lastSeq }] of copied)
            assert.equal(hash, blockHashThrough(liveDb, block, lastSeq)?.toString('hex'), `block ${block} of ${backup.dir}`);
        }
      } finally {
        liveDb.close();
      }
      const verified = await vigie(['verify', '--data', dataDir]);
      assert.equal(verified.status, 0, verified.stdout);
      console.log(`backups under ${RATE} msg/s: ${backups.map((b) => `${b.lastSeq} events in ${b.ms} ms`).join(', ')} (load ${os.loadavg()[0]!.toFixed(2)})`);
    } finally {
      await load.stop();
      if (serve.child.exitCode === null) {
        serve.child.kill('SIGKILL');
        await serve.exited;
      }
    }
  });

  test('a target that is the data directory, inside it, or cannot be written is refused clearly, and nothing is lost', async () => {
    const dir = tempDataDir();
    const dataDir = path.join(dir, 'data');
    await addDutyAccount(dataDir);
    // SQLite's own -wal and -shm beside a WAL database come and go with its connections.
    const ownFiles = () =>
      fs
        .readdirSync(dataDir)
        .filter((name) => !/-(wal|shm)$/.test(name))
        .sort();
    const files = ownFiles();
    const before = fs.readFileSync(path.join(dataDir, 'vigie.sqlite'));
    const cases: [string, RegExp][] = [
      [dataDir, /is the data directory itself/],
      [path.join(dataDir, 'sub', '..'), /is the data directory itself/],
      [path.join(dataDir, 'backups'), /is inside the data directory/],
    ];
    // A symbolic link to the data directory is the data directory.
    fs.symlinkSync(dataDir, path.join(dir, 'link'));
    cases.push([path.join(dir, 'link'), /is the data directory itself/]);
    // A folder that cannot be made: its parent is a file.
    fs.writeFileSync(path.join(dir, 'a-file'), 'not a folder');
    cases.push([path.join(dir, 'a-file', 'backup'), /cannot write to the backup folder .*a-file\/backup: ENOTDIR.*Nothing was changed/]);
    for (const [target, expected] of cases) {
      const result = await vigie(['backup', '--data', dataDir, '--to', target]);
      assert.equal(result.status, 1, `${target}: ${result.stdout}`);
      assert.match(result.stderr, expected);
      assert.equal(result.stdout, '');
    }
    assert.deepEqual(ownFiles(), files, 'nothing was added to the data directory');
    assert.ok(fs.readFileSync(path.join(dataDir, 'vigie.sqlite')).equals(before), 'the live database is unchanged');
    const usage = await vigie(['backup', '--data', dataDir]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /needs --to DIR2/);
  });

  // A target disk that fills up mid-copy: a tmpfs too small for the database (needs root to mount).
  const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-backupfull-'));
  const mounted = (() => {
    if (process.platform !== 'linux') return 'not Linux';
    const result = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint], { encoding: 'utf8' });
    return result.status === 0 ? true : `cannot mount a tmpfs (${(result.stderr || '').trim() || `exit ${result.status}`}; run as root)`;
  })();
  after(() => {
    if (mounted === true) spawnSync('umount', [mountPoint]);
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  test('a backup disk that fills up: a clear error, no partial file, the previous backup intact', { skip: mounted === true ? false : mounted }, async () => {
    const dir = tempDataDir();
    const dataDir = path.join(dir, 'data');
    const site = writeFastSite(dir);
    await addDutyAccount(dataDir);
    const serve = await startServe(dataDir, site);
    try {
      // The first backup fits (a fresh log is ~200 KB).
      const first = await vigie(['backup', '--data', dataDir, '--to', mountPoint]);
      assert.equal(first.status, 0, first.stderr);
      const previous = fs.readFileSync(path.join(mountPoint, 'vigie.sqlite'));
      const load = await feed(serve);
      // ~50 bytes an event: 40,000 events outgrow the 1 MiB disk.
      await until(() => eventCount(dataDir) > 40_000, 'the log to outgrow the backup disk', 60_000);
      await load.stop();
      const full = await vigie(['backup', '--data', dataDir, '--to', mountPoint]);
      assert.equal(full.status, 1, full.stdout);
      assert.match(full.stderr, /^vigie backup: the backup to .* failed: .*(full|space).*; the previous backup in .* is untouched\n$/i);
      assert.deepEqual(fs.readdirSync(mountPoint), ['vigie.sqlite']);
      assert.ok(fs.readFileSync(path.join(mountPoint, 'vigie.sqlite')).equals(previous));
      const verified = await vigie(['verify', '--data', mountPoint]);
      assert.equal(verified.status, 0, verified.stdout);
      // The core never noticed.
      assert.equal((await serve.api<{ storage?: { problem: unknown } }>('feeds.status', {}, await serve.signIn())).storage?.problem ?? null, null);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });
});
