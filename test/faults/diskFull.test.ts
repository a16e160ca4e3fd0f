// Disk full (issue 7, "Crashes and faults"): the data directory on a small
// tmpfs, filled up to a few hundred KiB by a filler file, then feed traffic.
// The core must say so (feeds.status `storage`, one console line), pause
// ingest — TCP sources held back (nothing read, nothing lost), UDP datagrams
// refused and counted — corrupt nothing (`vigie verify`), and resume by itself
// when the filler is deleted, committing every TCP message that was sent.
//
// Needs root (mount). Elsewhere it is skipped, saying why.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { FeedsStatus } from '../../shared/contract';
import { projectRoot } from '../../electron/core/paths';
import { nmeaChecksum } from '../../electron/core/feeds/nmea/parseNmeaSentence';
import { addDutyAccount, startServe, vigie, writeFastSite, type Serve } from './harness';

// Room for the run once the filler goes: the 60,000 messages take ~3 MB of
// database plus up to ~4 MB of WAL between checkpoints. (With 8 MiB the disk
// sometimes filled up again, for real, after space had returned, and the
// core rightly paused a second time.)
const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-diskfull-'));
const mounted = (() => {
  if (process.platform !== 'linux') return 'not Linux';
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', mountPoint], { encoding: 'utf8' });
  return result.status === 0 ? true : `cannot mount a tmpfs (${(result.stderr || result.error?.message || '').trim() || `exit ${result.status}`}; run as root)`;
})();
let serve: Serve | undefined;
after(async () => {
  if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
    serve.child.kill('SIGKILL');
    await serve.exited;
  }
  if (mounted === true) spawnSync('umount', [mountPoint]);
  fs.rmSync(mountPoint, { recursive: true, force: true });
});

const TCP_MESSAGES = 60_000;

async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function nmea(k: number): Buffer {
  const body = `RATTM,${String(k % 100).padStart(2, '0')},${(1 + (k % 50) / 10).toFixed(2)},${(250 + (k % 900) / 10).toFixed(1)},T,5.0,${k % 360},T,1.0,10.0,N,V${k % 100},T,,,A`;
  return Buffer.from(`$${body}*${nmeaChecksum(body)}\r\n`);
}

test(
  'disk full: the console says so, ingest holds TCP back and counts refused UDP, nothing is corrupted, and it resumes when space returns',
  { skip: mounted === true ? false : `skipped: ${String(mounted)}`, timeout: 240_000 },
  async () => {
    await diskFullScenario('data');
  },
);

async function diskFullScenario(dataName: string): Promise<void> {
  const dataDir = path.join(mountPoint, dataName);
  // The site file lives off the small disk.
  const siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-diskfull-site-'));
  after(() => fs.rmSync(siteDir, { recursive: true, force: true }));
  const siteFile = writeFastSite(siteDir);
  await addDutyAccount(dataDir);
  serve = await startServe(dataDir, siteFile);
  // Signed in before the disk fills: signing in is logged, so it is refused while the log cannot grow.
  const session = await serve.signIn();
  const status = () => serve!.api<FeedsStatus>('feeds.status', {}, session);
  assert.deepEqual((await status()).storage, { problem: null, since: null, waiting: 0, refused: 0 });

  // Fill the disk, leaving ~400 KiB.
  const filler = path.join(mountPoint, 'filler');
  const free = () => fs.statfsSync(mountPoint).bavail * fs.statfsSync(mountPoint).bsize;
  fs.writeFileSync(filler, Buffer.alloc(Math.max(0, free() - 400 * 1024)));

  const jsonPort = await serve.feedPort('json', 'tcp');
  const sender = spawn(process.execPath, [path.join(projectRoot, 'bench', 'feedSender.mjs'), 'json', String(jsonPort), String(TCP_MESSAGES), '20000'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let senderOut = '';
  sender.stdout!.on('data', (chunk: Buffer) => (senderOut += chunk.toString()));
  const senderDone = new Promise<number | null>((resolve) => sender.once('exit', resolve));

  // 1. The console says so: feeds.status and one line on the console.
  const full = await until(async () => {
    const storage = (await status()).storage;
    return storage?.problem === 'disk-full' ? storage : undefined;
  }, 'feeds.status to report the disk full');
  assert.ok(full.since !== null && full.waiting > 0, `the waiting block is shown: ${JSON.stringify(full)}`);
  assert.match(serve.stderr(), /ERROR disk full: the log cannot be written \(database or disk is full\); feed ingest paused/);

  // 2. Backpressure: the TCP source is no longer read (its accepted count stands still) and its sender is held back.
  const tcpAccepted = async () => (await status()).sources.filter((s) => s.protocol === 'json').reduce((sum, s) => sum + s.accepted, 0);
  const acceptedThen = await tcpAccepted();
  // UDP cannot be slowed down: datagrams sent now are refused and counted.
  const udpPort = await serve.feedPort('nmea', 'udp', 'RAD-GRISNEZ');
  const udp = dgram.createSocket('udp4');
  const DATAGRAMS = 300;
  for (let k = 0; k < DATAGRAMS; k++) {
    await new Promise<void>((resolve, reject) => udp.send(nmea(k), udpPort, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
    if (k % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  udp.close();
  const refused = await until(
    async () => {
      const current = await status();
      const source = current.sources.find((s) => s.protocol === 'nmea' && s.source.startsWith('nmea/udp/'));
      return current.storage && current.storage.refused === DATAGRAMS && source?.throttled === DATAGRAMS ? { storage: current.storage, source } : undefined;
    },
    `the ${DATAGRAMS} datagrams to be counted as refused`,
    10_000,
  );
  assert.equal(refused.source.accepted, 0, 'no datagram was accepted while the disk was full');
  assert.equal(await tcpAccepted(), acceptedThen, 'the TCP source was read while ingest was paused');
  assert.equal(sender.exitCode, null, 'the TCP sender finished although the core could not take its messages');
  assert.equal((await status()).storage?.problem, 'disk-full', 'still paused');

  // 3. Nothing is corrupted, even now.
  const during = await vigie(['verify', '--data', dataDir]);
  assert.equal(during.status, 0, `verify while the disk is full:\n${during.stdout}${during.stderr}`);

  // 4. Space returns: ingest resumes by itself and takes everything the TCP sender sent.
  fs.rmSync(filler);
  const back = await until(
    async () => {
      const storage = (await status()).storage;
      return storage?.problem === null ? storage : undefined;
    },
    'ingest to resume once space returned',
    10_000,
  );
  assert.equal(back.refused, DATAGRAMS);
  assert.match(serve.stderr(), /WARN {2}the log can be written again \(disk-full for [\d.]+ s\): feed ingest resumed; 300 UDP datagrams refused so far/);
  const senderCode = await Promise.race([senderDone, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 60_000).unref())]);
  if (senderCode === 'timeout') sender.kill('SIGKILL');
  assert.equal(senderCode, 0, `the TCP sender completes once ingest resumes (storage now ${JSON.stringify((await status()).storage)})`);
  assert.deepEqual(JSON.parse(senderOut), { sent: TCP_MESSAGES });
  await until(
    async () => (await tcpAccepted()) === TCP_MESSAGES && (await status()).storage?.waiting === 0,
    `all ${TCP_MESSAGES} TCP messages accepted and committed`,
  );

  serve.child.kill('SIGTERM');
  assert.equal((await serve.exited).code, 0, `clean stop:\n${serve.stderr()}`);
  const verified = await vigie(['verify', '--data', dataDir]);
  assert.equal(verified.status, 0, `verify after:\n${verified.stdout}${verified.stderr}`);
  // Every TCP message is in the log exactly once; no refused datagram is.
  const exported = await vigie(['export', '--data', dataDir]);
  assert.equal(exported.status, 0, exported.stderr);
  let json = 0;
  let udpLogged = 0;
  for (const line of exported.stdout.split('\n')) {
    if (!line) continue;
    const event = JSON.parse(line) as { kind: string; source: string };
    if (event.kind === 'track.update' && event.source === 'json:RAD-GRISNEZ') json += 1;
    if (event.source === 'nmea:RAD-GRISNEZ') udpLogged += 1;
  }
  assert.equal(json, TCP_MESSAGES, 'every TCP message sent is in the log, once');
  assert.equal(udpLogged, 0, 'refused datagrams are counted, not logged');
  process.stdout.write(`# disk full: paused with ${full.waiting} waiting, ${DATAGRAMS} datagrams refused; resumed; ${TCP_MESSAGES} TCP messages all logged\n`);
}
