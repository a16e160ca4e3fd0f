// Signed heads (issue 18): a real core makes its Ed25519 key at the first
// start, announces it once, signs its head while the log moves, at a shift
// close and at its stop; `vigie verify --data` checks every signature and
// catches a log rewritten and re-hashed end to end by someone without the
// key; evidence files say who signed them, and a tampered or forged
// signature is reported; a key rotation is endorsed by the retired key.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { startCore, type RunningCore } from '../../electron/core/core';
import { databasePath } from '../../electron/core/db/database';
import type { EvidenceFile } from '../../electron/core/evidence/evidence';
import { blockHash, fingerprints, GENESIS_HASH, leafHash } from '../../electron/core/log/hashChain';
import { blockHashThrough, iterateEvents, iterateStoredRows } from '../../electron/core/log/eventLog';
import { fingerprintOf, headMessage, KEYS_DIR, PRIVATE_KEY_FILE } from '../../electron/core/keys/postKey';
import { checkSignedHeads } from '../../electron/core/keys/signedHeads';
import { silentLogger } from '../../electron/core/logger';
import { signInHeaders, tempDataDir, until } from '../helpers';

const bin = path.join(__dirname, '..', '..', 'bin', 'vigie.cjs');
const built = fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'cli', 'vigie.cjs'));
const vigie = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });

const start = (dataDir: string, extra: Partial<Parameters<typeof startCore>[0]> = {}) => startCore({ dataDir, logger: silentLogger, feeds: false, ...extra });

async function call<T>(core: RunningCore, headers: Record<string, string>, method: string, params: object): Promise<T> {
  const body = (await (await fetch(`http://127.0.0.1:${core.port}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(params) })).json()) as {
    ok: boolean;
    result: T;
    error?: unknown;
  };
  assert.ok(body.ok, `${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const kinds = (core: RunningCore) => [...iterateEvents(core.db)].map((event) => event.kind);

/**
 * What someone with write access but without the key could do: change an
 * event, then recompute every leaf, fingerprint and block hash after it, so
 * the hash chain alone checks out again.
 */
function rewriteLog(dataDir: string, edit: (db: Database.Database) => void): void {
  const db = new Database(databasePath(dataDir));
  try {
    for (const trigger of ['events_no_update', 'events_no_delete', 'log_blocks_no_update', 'log_blocks_no_delete'])
      db.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
    edit(db);
    const blocks = db.prepare('SELECT block, first_seq, last_seq FROM log_blocks ORDER BY block').all() as {
      block: number;
      first_seq: number;
      last_seq: number;
    }[];
    const rows = [...iterateStoredRows(db)];
    const update = db.prepare('UPDATE log_blocks SET hash = ?, fingerprints = ? WHERE block = ?');
    let prev: Buffer = GENESIS_HASH;
    db.transaction(() => {
      for (const block of blocks) {
        const leaves = rows.filter((row) => row.seq >= block.first_seq && row.seq <= block.last_seq).map((row) => leafHash(row));
        const hash = blockHash(prev, block.first_seq, block.last_seq, leaves);
        update.run(hash, fingerprints(leaves), block.block);
        prev = hash;
      }
    })();
  } finally {
    db.close();
  }
}

describe('signed heads', { skip: built ? false : 'npm run build first' }, () => {
  test('the key is made once at the first start, owner-only, announced once; heads are signed as the log moves and at a shift close', async () => {
    const dataDir = path.join(tempDataDir(), 'data');
    let core = await start(dataDir, { signHeadsEveryMs: 50 });
    const keyFile = path.join(dataDir, KEYS_DIR, PRIVATE_KEY_FILE);
    try {
      assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
      assert.equal(core.postKey.fingerprint, fingerprintOf(core.postKey.publicKey));
      assert.match(core.postKey.fingerprint, /^ed25519:[0-9a-f]{64}$/);
      // Something happens: the next periodic turn signs it; then, idle, nothing more is signed.
      const headers = await signInHeaders(core);
      await until(() => kinds(core).includes('head.signed'), 'a periodic signature');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const idle = kinds(core).filter((kind) => kind === 'head.signed').length;
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(kinds(core).filter((kind) => kind === 'head.signed').length, idle, 'an idle log is not signed again and again');
      // A shift close is signed at once.
      await call(core, headers, 'shift.close', { handover: 'Quiet.' });
      await until(() => kinds(core).at(-1) === 'head.signed', 'the shift close to be signed');
      const last = [...iterateEvents(core.db)].at(-1)!;
      assert.equal(JSON.parse(last.payload).why, 'shift-close');
    } finally {
      await core.stop();
    }
    const first = fs.readFileSync(keyFile);
    core = await start(dataDir);
    await core.stop();
    assert.ok(fs.readFileSync(keyFile).equals(first), 'the same key at the next start');
    const all = [
      ...new Database(databasePath(dataDir), { readonly: true })
        .prepare("SELECT k.name FROM events e JOIN event_kinds k ON k.id = e.kind WHERE k.name = 'post.key'")
        .all(),
    ];
    assert.equal(all.length, 1, 'announced once');

    const verified = vigie('verify', '--data', dataDir);
    assert.equal(verified.status, 0, verified.stdout);
    assert.match(verified.stdout, /^ok: \d+ events in \d+ blocks checked; head [0-9a-f]{64}\n/);
    assert.match(
      verified.stdout,
      new RegExp(`signed by post "Côte d'Opale — demo post" with key ${core.postKey.fingerprint}: \\d+ heads \\(this data directory's key\\)\\n`),
    );
    assert.match(verified.stdout, /signatures: \d+ heads checked; the last signed is block \d+ \(seq \d+, .*\); 2 events after it are not signed yet\n$/);
  });

  test('a log rewritten and re-hashed without the key passes the chain but not the signatures', async () => {
    const dataDir = path.join(tempDataDir(), 'data');
    const core = await start(dataDir);
    const headers = await signInHeaders(core);
    await call(core, headers, 'shift.close', { handover: 'Nothing to report.' });
    await core.stop();
    assert.equal(vigie('verify', '--data', dataDir).status, 0);

    // The handover said something else.
    rewriteLog(dataDir, (db) => {
      const row = db.prepare("SELECT seq, payload FROM events WHERE payload LIKE '%Nothing to report.%'").get() as { seq: number; payload: string };
      db.prepare('UPDATE events SET payload = ? WHERE seq = ?').run(row.payload.replace('Nothing to report.', 'Two boats missed.'), row.seq);
    });
    const rewritten = vigie('verify', '--data', dataDir);
    assert.equal(rewritten.status, 1, rewritten.stdout);
    assert.match(rewritten.stdout, /^ok: \d+ events in \d+ blocks checked/, 'the hash chain alone is fooled');
    assert.match(rewritten.stdout, /\nBROKEN: block \d+ is not the block the post signed at seq \d+: the log was rewritten after it was signed\n$/);
  });

  test('signatures forged with another key are refused, or named as another key', async () => {
    const dataDir = path.join(tempDataDir(), 'data');
    const core = await start(dataDir);
    const ownKey = core.postKey.fingerprint;
    await core.stop();
    const forger = generateKeyPairSync('ed25519');
    const forgedPub = forger.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const rewritePayloads = (db: Database.Database, kind: string, change: (payload: Record<string, unknown>) => void) => {
      for (const row of db.prepare('SELECT e.seq, e.payload FROM events e JOIN event_kinds k ON k.id = e.kind WHERE k.name = ?').all(kind) as {
        seq: number;
        payload: string;
      }[]) {
        const payload = JSON.parse(row.payload) as Record<string, unknown>;
        change(payload);
        db.prepare('UPDATE events SET payload = ? WHERE seq = ?').run(JSON.stringify(payload, Object.keys(payload).sort()), row.seq);
      }
    };
    // Each signature made again with the forger's key, over the block hashes as they now are (a block as it stood at the seq signed).
    const reSign = (db: Database.Database) =>
      rewritePayloads(db, 'head.signed', (payload) => {
        payload.hash = blockHashThrough(db, payload.block as number, payload.seq as number)!.toString('hex');
        payload.pub = forgedPub;
        payload.sig = sign(null, headMessage(payload as never), forger.privateKey).toString('base64');
      });
    // Signatures by a key the log never announced.
    rewriteLog(dataDir, reSign);
    let result = vigie('verify', '--data', dataDir);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /BROKEN: the head signed at seq \d+ names key ed25519:[0-9a-f]{16}, which no post\.key event before it announced\n$/);
    // The forger announces their own key too: it verifies — as *their* key, not this post's.
    rewriteLog(dataDir, (db) => rewritePayloads(db, 'post.key', (payload) => (payload.pub = forgedPub)));
    rewriteLog(dataDir, reSign);
    result = vigie('verify', '--data', dataDir);
    assert.equal(result.status, 0, result.stdout);
    assert.match(result.stdout, new RegExp(`with key ${fingerprintOf(forgedPub)}: \\d+ heads?\\n`));
    assert.equal(result.stdout.includes("this data directory's key"), false);
    assert.equal(result.stdout.includes(ownKey), false);
    // A signature that does not verify at all.
    rewriteLog(dataDir, (db) => {
      const row = db.prepare("SELECT e.seq, e.payload FROM events e JOIN event_kinds k ON k.id = e.kind WHERE k.name = 'head.signed'").get() as {
        seq: number;
        payload: string;
      };
      const payload = JSON.parse(row.payload) as { sig: string };
      const sig = Buffer.from(payload.sig, 'base64');
      sig[10]! ^= 1;
      db.prepare('UPDATE events SET payload = ? WHERE seq = ?').run(row.payload.replace(payload.sig, sig.toString('base64')), row.seq);
    });
    result = vigie('verify', '--data', dataDir);
    assert.equal(result.status, 1);
    assert.match(
      result.stdout,
      /BROKEN: the signature of head block \d+ \(logged at seq \d+\) does not verify with key ed25519:[0-9a-f]{16}: forged or altered\n$/,
    );
  });

  test('evidence files carry the signature; a tampered or forged one, or another key, is reported', async () => {
    const dir = tempDataDir();
    const dataDir = path.join(dir, 'data');
    const core = await start(dataDir);
    const headers = await signInHeaders(core);
    // Exported from the running core before any head was signed: signed at export, with the post's key.
    const live = await call<{ content: string }>(core, headers, 'evidence.export', { shift: 1 });
    const atExport = JSON.parse(live.content) as EvidenceFile;
    assert.equal(atExport.signature?.why, 'export');
    assert.equal(atExport.signature?.fingerprint, core.postKey.fingerprint);
    const ownKey = core.postKey.fingerprint;
    await call(core, headers, 'shift.close', { handover: 'Done.' });
    await core.stop();

    const file = path.join(dir, 'shift.json');
    const exported = vigie('export', '--data', dataDir, '--shift', '1', '--out', file);
    assert.equal(exported.status, 0, exported.stderr);
    assert.match(exported.stderr, new RegExp(`signed by key ${ownKey.slice(0, 24)}\\n$`));
    const original = JSON.parse(fs.readFileSync(file, 'utf8')) as EvidenceFile;
    assert.equal(original.signature!.why, 'shift-close');
    const check = (evidence: unknown, ...extra: string[]) => {
      const at = path.join(dir, `check-${Math.random().toString(36).slice(2)}.json`);
      fs.writeFileSync(at, JSON.stringify(evidence));
      return vigie('verify', at, ...extra);
    };
    let result = check(original);
    assert.equal(result.status, 0, result.stdout);
    assert.match(result.stdout, new RegExp(`\\nsigned by post "Côte d'Opale — demo post" with key ${ownKey} \\(block \\d+, .*, shift-close\\)\\n$`));
    assert.equal(check(original, '--key', ownKey).status, 0);
    assert.equal(check(original, '--key', ownKey.slice('ed25519:'.length, 'ed25519:'.length + 12)).status, 0);
    const copy = () => JSON.parse(JSON.stringify(original)) as EvidenceFile;

    // A byte of the signature changed.
    const tampered = copy();
    const sig = Buffer.from(tampered.signature!.sig, 'base64');
    sig[0]! ^= 0x80;
    tampered.signature!.sig = sig.toString('base64');
    result = check(tampered);
    assert.equal(result.status, 1);
    assert.match(
      result.stdout,
      /^BROKEN: the head signature does not verify with key ed25519:[0-9a-f]{16}: the file was altered after it was signed, or the signature is forged\n$/,
    );

    // Signed again by someone else's key: it verifies, but as that key — and --key refuses it.
    const forger = generateKeyPairSync('ed25519');
    const forged = copy();
    forged.signature!.pub = forger.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    forged.signature!.fingerprint = fingerprintOf(forged.signature!.pub);
    forged.signature!.sig = sign(null, headMessage(forged.signature!), forger.privateKey).toString('base64');
    result = check(forged);
    assert.equal(result.status, 0);
    assert.ok(result.stdout.includes(`with key ${forged.signature!.fingerprint}`));
    result = check(forged, '--key', ownKey);
    assert.equal(result.status, 1);
    assert.match(result.stdout, new RegExp(`^BROKEN: signed by key ${forged.signature!.fingerprint}, not by the expected key ${ownKey}\\n$`));

    // The fingerprint changed to the post's, the key left as the forger's.
    const relabelled = copy();
    relabelled.signature!.fingerprint = 'ed25519:' + '0'.repeat(64);
    assert.match(check(relabelled).stdout, /^BROKEN: the signature names key ed25519:0{16} but carries key/);
    // The signed head moved away from the end of the chain.
    const moved = copy();
    moved.signature!.block -= 1;
    assert.match(check(moved).stdout, /^BROKEN: the signed head \(block \d+\) is not where the file's chain ends/);
    // The post's name changed (it is signed too).
    const renamed = copy();
    renamed.signature!.post = 'Another post';
    assert.match(check(renamed).stdout, /^BROKEN: the head signature does not verify/);
    // No signature at all: still a valid chain, said to be unsigned; refused when a key is required.
    const unsigned = copy();
    delete unsigned.signature;
    result = check(unsigned);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /\nNOT SIGNED: /);
    assert.equal(check(unsigned, '--key', ownKey).status, 1);
  });

  test('a key rotation: the new key is logged endorsed by the old one, and both keys’ heads verify', async () => {
    const dataDir = path.join(tempDataDir(), 'data');
    let core = await start(dataDir);
    const old = core.postKey.fingerprint;
    await core.stop();
    const rotated = vigie('key', 'rotate', '--data', dataDir);
    assert.equal(rotated.status, 0, rotated.stderr);
    const next = rotated.stdout.trim();
    assert.notEqual(next, old);
    assert.match(rotated.stderr, new RegExp(`endorsed by ${old} \\(now deleted\\)`));
    assert.equal(vigie('key', 'show', '--data', dataDir).stdout.trim(), next);
    core = await start(dataDir);
    assert.equal(core.postKey.fingerprint, next);
    await core.stop();
    const report = checkSignedHeads(new Database(databasePath(dataDir), { readonly: true }));
    assert.ok(report.ok, report.problem);
    assert.deepEqual(
      report.keys.map((key) => [key.fingerprint, key.endorsed]),
      [
        [old, null],
        [next, true],
      ],
    );
    const verified = vigie('verify', '--data', dataDir);
    assert.equal(verified.status, 0, verified.stdout);
    assert.match(verified.stdout, new RegExp(`with key ${next}: 1 head \\(this data directory's key; endorsed by the key before it\\)`));
    // A rotation while the core runs is refused (the core holds the key).
    core = await start(dataDir);
    try {
      const refused = vigie('key', 'rotate', '--data', dataDir);
      assert.equal(refused.status, 3, refused.stderr);
    } finally {
      await core.stop();
    }
    // The old key lost: the new one is logged without endorsement, and verify says so.
    assert.equal(vigie('key', 'rotate', '--data', dataDir, '--lost').status, 0);
    (await start(dataDir)).stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.match(vigie('verify', '--data', dataDir).stdout, /NOT endorsed: the key before it was declared lost/);
  });
});
