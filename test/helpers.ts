// Small helpers shared by the unit tests: throwaway data directories.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

export function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-test-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Replaces the first occurrence of `find` in a file with `replace` (same length), as someone editing the file by hand would. */
export function editFileBytes(file: string, find: string, replace: string): void {
  if (Buffer.byteLength(find) !== Buffer.byteLength(replace)) throw new Error('edit must keep the length');
  const bytes = fs.readFileSync(file);
  const at = bytes.indexOf(find);
  if (at < 0) throw new Error(`${JSON.stringify(find)} not found in ${file}`);
  Buffer.from(replace).copy(bytes, at);
  fs.writeFileSync(file, bytes);
}

/** Polls until `probe` returns something truthy (and returns it), or fails naming what it waited for. */
export async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
