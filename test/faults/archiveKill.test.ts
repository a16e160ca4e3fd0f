// An archive killed with SIGKILL at each of its steps (a real `vigie
// archive` child process, killed by the kernel where VIGIE_ARCHIVE_KILL_AT
// names the step) leaves either the old state or the new one, and both
// verify: old — no base moved, no archive file, the live log whole; new —
// the archive file verifies alone, the live log verifies from its head, and
// their exports add up to the export from before. Then the same command,
// run again, finishes the job from whichever state it finds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { ArchiveStep } from '../../electron/core/archive/archive';
import { NIGHTS, writeThreeNights } from '../core/archiveFixture';
import { vigieBin } from './harness';

const HOUR = 3600 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();
const STEPS: readonly { step: ArchiveStep; state: 'old' | 'new' }[] = [
  { step: 'copied', state: 'old' },
  { step: 'compressed', state: 'old' },
  // Renamed but not yet based: the file is there, the live log still whole — the old state plus a spare copy.
  { step: 'renamed', state: 'old' },
  { step: 'based', state: 'new' },
  { step: 'pruning', state: 'new' },
  { step: 'pruned', state: 'new' },
];

function vigie(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [vigieBin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
}

function exportLines(...args: string[]): string[] {
  const result = vigie(['export', ...args]);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\n').filter((line) => line !== '');
}

function baseRow(dataDir: string): { block: number; last_seq: number } | undefined {
  const db = new Database(path.join(dataDir, 'vigie.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT block, last_seq FROM log_base').get() as { block: number; last_seq: number } | undefined;
  } finally {
    db.close();
  }
}

describe('an archive killed at each step', () => {
  let original: string;
  let exportBefore: string[];
  const made: string[] = [];
  before(() => {
    original = writeThreeNights().dir;
    made.push(original);
    exportBefore = exportLines('--data', original);
  });
  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const { step, state } of STEPS) {
    test(`killed once ${step}: the ${state} state, verifying`, () => {
      const work = fs.mkdtempSync(path.join(os.tmpdir(), `vigie-archive-kill-${step}-`));
      made.push(work);
      const dataDir = path.join(work, 'data');
      fs.cpSync(original, dataDir, { recursive: true });
      const out = path.join(work, 'night-1.vigie-archive');

      const killed = vigie(['archive', '--data', dataDir, '--before', iso(NIGHTS[0] + 14 * HOUR), '--out', out], { VIGIE_ARCHIVE_KILL_AT: step });
      assert.equal(killed.signal, 'SIGKILL', `not killed at ${step}: ${killed.status} ${killed.stderr}`);
      assert.match(killed.stderr, new RegExp(`archive: ${step}: `));

      const live = vigie(['verify', '--data', dataDir]);
      assert.equal(live.status, 0, live.stdout);
      if (state === 'old') {
        assert.equal(baseRow(dataDir), undefined, 'the base has not moved');
        assert.deepEqual(exportLines('--data', dataDir), exportBefore, 'the live log is whole');
        if (fs.existsSync(out)) assert.equal(vigie(['verify', out]).status, 0, 'a renamed archive is complete');
      } else {
        assert.ok(baseRow(dataDir), 'the base moved');
        const archived = vigie(['verify', out]);
        assert.equal(archived.status, 0, archived.stdout);
        assert.deepEqual([...exportLines('--archive', out), ...exportLines('--data', dataDir)], exportBefore);
      }

      // Run again, the same command: from the old state it archives (using a renamed file as it is, removing a partial one);
      // from the new state the file is already the archive and the base already moved, so it only finishes the prune.
      const again = vigie(['archive', '--data', dataDir, '--before', iso(NIGHTS[0] + 14 * HOUR), '--out', out]);
      assert.equal(again.status, 0, again.stderr);
      if (state === 'new') assert.match(again.stderr, /already holds the blocks up to \d+, where the live log now starts: nothing left to do/);
      assert.equal(vigie(['verify', out]).status, 0);
      assert.equal(vigie(['verify', '--data', dataDir]).status, 0);
      const db = new Database(path.join(dataDir, 'vigie.sqlite'), { readonly: true });
      const oldest = (db.prepare('SELECT min(seq) AS seq FROM events').get() as { seq: number }).seq;
      db.close();
      assert.equal(oldest, baseRow(dataDir)!.last_seq + 1, 'no archived row left behind');
      assert.deepEqual([...exportLines('--archive', out), ...exportLines('--data', dataDir)], exportBefore);
      assert.deepEqual(
        fs.readdirSync(work).filter((name) => name.endsWith('.partial') || name.endsWith('.work')),
        [],
        'nothing half-written left once an archive succeeded',
      );
    });
  }
});
