// vigie archive, through the real command on real files: three nights on the
// log; the first, then the second, moved to archive files that verify alone;
// the live log still verifies from the archived head; archive exports then
// the live export equal the export taken before, line for line; an archived
// shift replays (and gives its figures) from the archive alone, with the
// picture the live log gave before; the space comes back. Bad input: a cut
// inside the open shift, an existing file, a full disk — clear errors,
// nothing lost.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../electron/core/db/database';
import { signHead, writeNewPostKey, type PostKey } from '../../electron/core/keys/postKey';
import { figuresFromLog } from '../../electron/core/figures/figures';
import { ReplayError } from '../../electron/core/replay/replayEngine';
import { ReplayService } from '../../electron/core/replay/replayService';
import { NIGHTS, writeThreeNights, type ArchiveFixture } from './archiveFixture';

const vigie = path.join(__dirname, '..', '..', 'bin', 'vigie.cjs');
const run = (...args: string[]) => spawnSync(process.execPath, [vigie, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const HOUR = 3600 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

function exportLines(...args: string[]): string[] {
  const result = run('export', ...args);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\n').filter((line) => line !== '');
}

describe('archive and prune', () => {
  let fixture: ArchiveFixture;
  let postKey: PostKey;
  let dataDir: string;
  let archives: string;
  let exportBefore: string[];
  let pictureBefore: unknown;
  let figuresBefore: unknown;
  const middleOfNight1 = NIGHTS[0] + 120_000;

  before(async () => {
    fixture = writeThreeNights();
    dataDir = fixture.dir;
    // The post's key, as its first start makes it: archives made here carry its signature.
    postKey = writeNewPostKey(dataDir);
    archives = path.join(dataDir, '..', `${path.basename(dataDir)}-archives`);
    fs.mkdirSync(archives);
    exportBefore = exportLines('--data', dataDir);
    // The picture of night 1 two minutes in, replayed from the live log before anything is archived.
    const replay = new ReplayService(() => openDatabase(dataDir, { readonly: true }));
    pictureBefore = (await replay.at('test', 1, { time: middleOfNight1 })).picture;
    replay.close();
    const db = openDatabase(dataDir, { readonly: true });
    figuresBefore = await figuresFromLog(db, { from: NIGHTS[0], to: NIGHTS[0] + 12 * HOUR }, { now: Date.now() });
    db.close();
  });
  const made: string[] = [];
  after(() => {
    for (const dir of [dataDir, archives, ...made]) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('night 1 moves to an archive that verifies alone; the live log verifies from its head; the exports add up', () => {
    const file = path.join(archives, 'night-1.vigie-archive');
    const sizeBefore = fs.statSync(path.join(dataDir, 'vigie.sqlite')).size;
    const archived = run('archive', '--data', dataDir, '--before', iso(NIGHTS[0] + 14 * HOUR), '--out', file);
    assert.equal(archived.status, 0, archived.stderr);
    const night1 = fixture.shifts[0]!;
    assert.match(archived.stdout, new RegExp(`^archived ${night1.lastSeq!} events \\(seq 1–${night1.lastSeq!}, blocks 1–\\d+`));
    assert.match(
      archived.stderr,
      /archive: copied: .*\narchive: compressed: .*\narchive: renamed: .*\narchive: based: .*\n(archive: pruning: .*\n)+archive: pruned: /,
    );

    // The archive alone, anywhere: verified by its own chain, from genesis to the head it names.
    const moved = path.join(archives, 'elsewhere.vigie-archive');
    fs.copyFileSync(file, moved);
    const verified = run('verify', moved);
    assert.equal(verified.status, 0, verified.stdout);
    assert.match(
      verified.stdout,
      new RegExp(
        `^ok: archive of events 1–${night1.lastSeq!} \\(${night1.lastSeq!} events in \\d+ blocks 1–\\d+\\) links to genesis; head [0-9a-f]{64}\\n` +
          `signed by post "unnamed post" with key ${postKey.fingerprint} \\(block \\d+, \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z, archive\\)\\n$`,
      ),
    );
    // Only this post's key is accepted when one is asked for.
    assert.equal(run('verify', moved, '--key', postKey.fingerprint.slice(0, 20)).status, 0);
    const otherKey = run('verify', moved, '--key', 'ed25519:00ff');
    assert.equal(otherKey.status, 1);
    assert.match(otherKey.stdout, /^BROKEN: signed by key ed25519:[0-9a-f]+, not by the expected key ed25519:00ff\n$/);
    const head = /head ([0-9a-f]{64})/.exec(verified.stdout)![1]!;

    // The live log starts after it, and keeps its hash.
    const live = run('verify', '--data', dataDir);
    assert.equal(live.status, 0, live.stdout);
    assert.match(live.stdout, new RegExp(`starts after block \\d+ \\(seq ${night1.lastSeq!}\\), archived in night-1.vigie-archive, hash ${head}`));

    // Line for line: the archive's export, then the live one, is the export from before.
    const fromArchive = exportLines('--archive', file);
    const fromLive = exportLines('--data', dataDir);
    assert.equal(fromArchive.length, night1.lastSeq);
    assert.deepEqual([...fromArchive, ...fromLive], exportBefore);

    // Space: the rows are gone from the file, not only hidden.
    const db = openDatabase(dataDir, { readonly: true });
    assert.equal((db.prepare('SELECT min(seq) AS seq FROM events').get() as { seq: number }).seq, night1.lastSeq! + 1);
    db.close();
    const sizeAfter = fs.statSync(path.join(dataDir, 'vigie.sqlite')).size;
    assert.ok(sizeAfter < sizeBefore * 0.8, `the file shrank: ${sizeBefore} → ${sizeAfter} bytes`);
    assert.ok(fs.statSync(file).size < sizeBefore - sizeAfter, 'the archive (compressed) is smaller than the space it gave back');
  });

  test('an archive whose signature was altered, or that lost it, says so', () => {
    const file = path.join(archives, 'night-1.vigie-archive');
    /** A copy of the archive with its signature entry rewritten (undefined: removed). */
    const withSignature = (name: string, rewrite: (signature: Record<string, unknown>) => Record<string, unknown> | undefined): string => {
      const work = fs.mkdtempSync(path.join(archives, 'tamper-'));
      made.push(work);
      const unpacked = path.join(work, 'vigie.sqlite');
      fs.writeFileSync(unpacked, zlib.gunzipSync(fs.readFileSync(file)));
      const db = new Database(unpacked);
      const row = db.prepare("SELECT value FROM archive_info WHERE name = 'signature'").get() as { value: string };
      const changed = rewrite(JSON.parse(row.value) as Record<string, unknown>);
      if (changed) db.prepare("UPDATE archive_info SET value = ? WHERE name = 'signature'").run(JSON.stringify(changed));
      else db.prepare("DELETE FROM archive_info WHERE name = 'signature'").run();
      db.close();
      const out = path.join(work, name);
      fs.writeFileSync(out, zlib.gzipSync(fs.readFileSync(unpacked)));
      return out;
    };
    // Another head's signature pasted in: it does not verify for this head.
    const other = writeNewPostKey(fs.mkdtempSync(path.join(archives, 'other-key-')));
    const forged = withSignature('forged.vigie-archive', (signature) => ({
      ...signature,
      sig: signHead(postKey, { post: 'unnamed post', block: 1, seq: 1, hash: '00'.repeat(32) }),
    }));
    const forgedCheck = run('verify', forged);
    assert.equal(forgedCheck.status, 1);
    assert.equal(
      forgedCheck.stdout,
      `BROKEN: the head signature does not verify with key ${postKey.fingerprint.slice(0, 24)}: the file was altered after it was signed, or the signature is forged\n`,
    );
    // Re-signed by a key that is not the post's: it checks out as that key's, and --key refuses it.
    const resigned = withSignature('resigned.vigie-archive', (signature) => {
      const head = { post: String(signature.post), block: Number(signature.block), seq: Number(signature.seq), hash: String(signature.hash) };
      return { ...signature, pub: other.publicKey, fingerprint: other.fingerprint, sig: signHead(other, head) };
    });
    assert.match(run('verify', resigned).stdout, new RegExp(`signed by post "unnamed post" with key ${other.fingerprint}`));
    const insisted = run('verify', resigned, '--key', postKey.fingerprint);
    assert.equal(insisted.status, 1);
    assert.match(insisted.stdout, /^BROKEN: signed by key .*, not by the expected key/);
    // The signature removed: the chain still proves itself, and the file says it is not signed.
    const unsigned = run(
      'verify',
      withSignature('unsigned.vigie-archive', () => undefined),
    );
    assert.equal(unsigned.status, 0);
    assert.match(unsigned.stdout, /\nNOT SIGNED: this file carries no signature of the post \(archived where no signed head or key was available\)\n$/);
  });

  test('an archived shift replays, and gives its figures, from the archive alone', () => {
    const file = path.join(archives, 'night-1.vigie-archive');
    const replayed = run('replay', '--archive', file, '--shift', '1', '--at', iso(middleOfNight1));
    assert.equal(replayed.status, 0, replayed.stderr);
    const moment = JSON.parse(replayed.stdout) as { shift: number; picture: { tracks: unknown[]; units: unknown[] } };
    assert.equal(moment.shift, 1);
    assert.ok(moment.picture.tracks.length > 5 && moment.picture.units.length === 24);
    assert.deepEqual(moment.picture, JSON.parse(JSON.stringify(pictureBefore)), 'the same picture the live log gave before archiving');

    const figures = run('figures', '--archive', file, '--from', iso(NIGHTS[0]), '--to', iso(NIGHTS[0] + 12 * HOUR));
    assert.equal(figures.status, 0, figures.stderr);
    const parsed = JSON.parse(figures.stdout) as { alerts: { total: number } };
    assert.equal(parsed.alerts.total, 2);
    assert.deepEqual(parsed, JSON.parse(JSON.stringify(figuresBefore)), 'the figures the live log gave before archiving');
  });

  test('the live log refuses to replay an archived shift, naming where it went', async () => {
    const replay = new ReplayService(() => openDatabase(dataDir, { readonly: true }));
    try {
      await assert.rejects(
        replay.at('test', 1, { time: middleOfNight1 }),
        (error: unknown) =>
          error instanceof ReplayError &&
          error.reason === 'shift-archived' &&
          /shift 1 has been moved to an archive file \(the latest is night-1\.vigie-archive\)/.test(error.message),
      );
      // Night 2, still live, replays from the snapshot the archive left where the live log starts.
      const moment = await replay.at('test', 2, { seq: fixture.shifts[1]!.firstSeq });
      assert.equal(moment.seq, fixture.shifts[1]!.firstSeq);
    } finally {
      replay.close();
    }
  });

  test('night 2 follows into a second archive that links to the first one’s head', () => {
    const first = path.join(archives, 'night-1.vigie-archive');
    const second = path.join(archives, 'night-2.vigie-archive');
    const archived = run('archive', '--data', dataDir, '--before', iso(NIGHTS[1] + 14 * HOUR), '--out', second);
    assert.equal(archived.status, 0, archived.stderr);
    const firstHead = /head ([0-9a-f]{64})/.exec(run('verify', first).stdout)![1]!;
    const verified = run('verify', second);
    assert.equal(verified.status, 0, verified.stdout);
    assert.match(verified.stdout, new RegExp(`links to block \\d+, hash ${firstHead}`));
    assert.equal(run('verify', '--data', dataDir).status, 0);
    assert.deepEqual([...exportLines('--archive', first), ...exportLines('--archive', second), ...exportLines('--data', dataDir)], exportBefore);
    const replayed = run('replay', '--archive', second, '--shift', '2');
    assert.equal(replayed.status, 0, replayed.stderr);
  });

  test('a cut inside the open shift is refused, saying where to cut; nothing changes', () => {
    const open = fixture.shifts[2]!;
    const out = path.join(archives, 'inside.vigie-archive');
    const refused = run('archive', '--data', dataDir, '--before', iso(NIGHTS[2] + 3 * 60_000), '--out', out);
    assert.equal(refused.status, 1);
    assert.match(
      refused.stderr,
      new RegExp(
        `falls inside shift 3, open since ${iso(open.openedAt)}: an open shift is never split. Archive before ${iso(open.openedAt)}, or after the shift closes. Nothing was changed.`,
      ),
    );
    assert.equal(fs.existsSync(out), false);
    assert.equal(fs.readdirSync(archives).filter((name) => name.endsWith('.work') || name.endsWith('.partial')).length, 0, 'no leftovers');
    assert.equal(run('verify', '--data', dataDir).status, 0);
  });

  test('an existing file is never overwritten, and a file that is not an archive is named as such', () => {
    const first = path.join(archives, 'night-1.vigie-archive');
    const bytes = fs.readFileSync(first);
    const refused = run('archive', '--data', dataDir, '--before', iso(NIGHTS[2]), '--out', first);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /already exists: an archive is never overwritten/);
    assert.ok(fs.readFileSync(first).equals(bytes));
    const nowhere = run('archive', '--data', dataDir, '--before', iso(NIGHTS[2]), '--out', path.join(archives, 'no-such-folder', 'a.vigie-archive'));
    assert.equal(nowhere.status, 1);
    assert.match(nowhere.stderr, /no-such-folder\/a\.vigie-archive does not exist: create it first\. Nothing was changed\./);
    const damaged = path.join(archives, 'damaged.vigie-archive');
    fs.writeFileSync(damaged, bytes.subarray(0, bytes.length >> 1));
    const broken = run('verify', damaged);
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /damaged\.vigie-archive is damaged: it does not decompress|is not a Vigie archive/);
  });

  test('a full disk: the archive fails with a clear error and the live log keeps everything', () => {
    // A fresh log, archived by a process whose files may not grow past 256 KiB (ulimit -f): the copy cannot be written.
    const small = writeThreeNights();
    made.push(small.dir);
    const before = exportLines('--data', small.dir);
    const out = path.join(small.dir, 'full.vigie-archive');
    const limited = spawnSync(
      'sh',
      ['-c', `ulimit -f 512 && exec "${process.execPath}" "${vigie}" archive --data "${small.dir}" --before ${iso(NIGHTS[1] + 14 * HOUR)} --out "${out}"`],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(limited.signal, null, `ended by ${limited.signal}: ${limited.stderr}`);
    assert.equal(limited.status, 1, limited.stderr);
    assert.match(limited.stderr, /vigie archive: the archive could not be written.*(disk is full|is the disk full\?).*Nothing was removed from the live log\./);
    assert.equal(fs.existsSync(out), false);
    assert.equal(fs.existsSync(`${out}.partial`), false);
    assert.equal(run('verify', '--data', small.dir).status, 0);
    assert.deepEqual(exportLines('--data', small.dir), before, 'nothing lost');
  });
});
