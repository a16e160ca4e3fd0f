// What the federation tests share about a centre: posts as in-process cores,
// `vigie centre` as the command users run (build first), waiting for a
// post's mirror to match it, and `vigie export` to compare them.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { after } from 'node:test';
import { startCore, type RunningCore } from '../../electron/core/core';
import { logEvent } from '../../electron/core/log/eventCatalogue';
import { silentLogger } from '../../electron/core/logger';
import type { PostState } from '../../electron/core/federation/centre';
import { projectRoot } from '../../electron/core/paths';
import type { SiteUplink } from '../../shared/site';
import { until } from '../helpers';
import { vigie } from '../faults/harness';

export const built = fs.existsSync(path.join(projectRoot, 'dist', 'cli', 'vigie.cjs'));
const CENTRE_LINE = /^Vigie centre: (http:\/\/127\.0\.0\.1:(\d+))\/#token=([0-9a-f]{64})$/;

/** A post as an in-process core publishing to `url` (several, comma-separated, for a cluster); `uplink` adds settings (replicas…). */
export const startPost = (dataDir: string, url: string, post: string, uplink: Partial<SiteUplink> = {}) =>
  startCore({ dataDir, logger: silentLogger, feeds: false, uplink: { post, url, ...uplink }, uplinkRetryMs: 200 });

/** `count` events in commits of `per`: notes a refusal counter would log, with a marker to edit. */
export function appendEvents(core: RunningCore, count: number, per = 1, marker = 'mark'): void {
  for (let i = 0; i < count; i += per) {
    const events = [];
    for (let k = i; k < Math.min(count, i + per); k++)
      events.push(logEvent('security.refused', 'core', { reason: 'secret', n: k + 1, detail: `${marker}-${k}` }));
    core.writer.append(events);
  }
}

export interface RunningCentre {
  child: ChildProcess;
  status(): Promise<{ connection: { state: string }; posts: PostState[] }>;
  post(name: string): Promise<PostState | undefined>;
  /** What the centre wrote on stderr (its warnings: skipped messages re-read, gaps), for failure messages. */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startCentre(dir: string, url: string): Promise<RunningCentre> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'vigie.cjs'), 'centre', '--data', dir, '--nats', url, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vigie centre printed nothing; stderr:\n${errors}`)), 20_000);
    readline.createInterface({ input: child.stdout! }).once('line', (first) => {
      clearTimeout(timer);
      resolve(first);
    });
    child.once('exit', (code) => reject(new Error(`vigie centre exited ${code}: ${errors}`)));
  });
  const match = CENTRE_LINE.exec(line);
  assert.ok(match, `first line: ${line}`);
  const status = async () =>
    (await (await fetch(`${match[1]}/api/centre.status`, { headers: { authorization: `Bearer ${match[3]}` } })).json()) as {
      connection: { state: string };
      posts: PostState[];
    };
  const stop = async () => {
    if (child.exitCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  };
  after(stop);
  return { child, status, post: async (name) => (await status()).posts.find((p) => p.post === name), stderr: () => errors, stop };
}

export async function mirrored(centre: RunningCentre, post: string, core: RunningCore, timeoutMs = 30_000): Promise<void> {
  let last: PostState | undefined;
  try {
    await until(
      () => {
        // The last poll may still be out when the centre is stopped: its failure is no news.
        void centre
          .post(post)
          .then((state) => (last = state))
          .catch(() => undefined);
        return last && last.lastSeq === core.log.status().lastSeq && last.headHash === core.log.status().headHash;
      },
      `the centre to mirror ${post} up to ${core.log.status().lastSeq}`,
      timeoutMs,
    );
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; centre says ${JSON.stringify(last)}; uplink says ${JSON.stringify(core.uplink?.status())}; centre's stderr ends:\n${centre.stderr().slice(-4_000)}`,
    );
  }
}

export async function exportOf(...args: string[]): Promise<string> {
  const result = await vigie(['export', ...args]);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

/**
 * The centre's `export --post` is the post's own export line for line. A
 * post that is running may log an event (a silent sensor, a signed head)
 * between the mirror's check and the two exports: then the comparison is
 * made again, up to five times; a post whose log did not move must match.
 */
export async function assertMirrorExport(centre: RunningCentre, centreDir: string, post: string, core: RunningCore, postDir: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await mirrored(centre, post, core, 60_000);
    const seq = core.log.status().lastSeq;
    const [atCentre, atPost] = [await exportOf('--data', centreDir, '--post', post), await exportOf('--data', postDir)];
    if (core.log.status().lastSeq !== seq && attempt < 5) continue;
    assert.equal(atCentre, atPost, `${post}: the centre's export differs from the post's`);
    return;
  }
}
