// The diagnostic log (electron/diagnostics/diagnosticLog.ts): JSON lines in
// DATA/logs/ through pino, secrets kept out, rotation by size without losing
// a line, a crash's reason left on disk — and the built `vigie serve`
// writing its own file.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, test } from 'node:test';
import { DiagnosticLog, REDACTED, diagnosticLogFile } from '../../electron/diagnostics/diagnosticLog';
import { tempDataDir } from '../helpers';

const lines = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('diagnostic log', () => {
  test('writes JSON lines with level, time and process, and keeps secrets out', () => {
    const dataDir = tempDataDir();
    const log = new DiagnosticLog({ dataDir, name: 'core' });
    const secret = 'f3a9c1d2e4b5a6978812ffeeddccbbaa';
    log.redactValue(secret);
    log.info(`console at http://127.0.0.1:8080/#token=${secret}`);
    log.warn('API: refused Authorization: Bearer abcdef0123456789 from 127.0.0.1');
    log.warn('socket offered vigie.token.0123456789abcdef');
    log.info(`a secret said aloud: ${secret}`);
    log.error('account check', { name: 'marie', password: 'correct horse battery staple', request: { token: 'abc', secret: 'xyz' } });
    log.close();
    assert.equal(log.file, path.join(dataDir, 'logs', 'vigie-core.log'));
    const text = fs.readFileSync(log.file, 'utf8');
    for (const leaked of [secret, 'abcdef0123456789', '0123456789abcdef', 'correct horse', '"abc"', 'xyz'])
      assert.equal(text.includes(leaked), false, `${leaked} in the log`);
    const written = lines(log.file);
    assert.equal(written.length, 5);
    assert.deepEqual(
      written.map((line) => line.level),
      ['info', 'warn', 'warn', 'info', 'error'],
    );
    assert.equal(written[0]!.msg, `console at http://127.0.0.1:8080/#token=${REDACTED}`);
    assert.equal(written[0]!.process, 'core');
    assert.equal(written[0]!.pid, process.pid);
    assert.ok(!Number.isNaN(Date.parse(written[0]!.time as string)));
    assert.equal(written[4]!.name, 'marie');
    assert.equal(written[4]!.password, REDACTED);
    assert.deepEqual(written[4]!.request, { token: REDACTED, secret: REDACTED });
  });

  test('rotates by size, keeps the newest files, and loses no line of them', () => {
    const dataDir = tempDataDir();
    const log = new DiagnosticLog({ dataDir, name: 'desktop', maxBytes: 2_000, keep: 3 });
    for (let n = 1; n <= 200; n++) log.info(`line ${n}`);
    log.close();
    const file = diagnosticLogFile(dataDir, 'desktop');
    const files = [file.replace(/\.log$/, '.3.log'), file.replace(/\.log$/, '.2.log'), file.replace(/\.log$/, '.1.log'), file];
    assert.deepEqual(fs.readdirSync(path.join(dataDir, 'logs')).sort(), files.map((f) => path.basename(f)).sort());
    for (const f of files) assert.ok(fs.statSync(f).size <= 2_000, `${f} is ${fs.statSync(f).size} bytes`);
    // Oldest file first, the lines run on without a gap up to the last one written.
    const numbers = files.flatMap((f) => lines(f).map((line) => Number(String(line.msg).slice('line '.length))));
    assert.equal(numbers.at(-1), 200);
    numbers.forEach((n, i) => assert.equal(n, numbers[0]! + i));
    assert.ok(numbers[0]! > 1, 'the oldest lines were dropped');
    // Reopened later, it appends to the current file.
    const again = new DiagnosticLog({ dataDir, name: 'desktop', maxBytes: 2_000, keep: 3 });
    again.info('line 201');
    again.close();
    assert.equal(lines(file).at(-1)!.msg, 'line 201');
  });

  test('an uncaught exception leaves its reason (and stack) in the file, the secret still out', () => {
    const dataDir = tempDataDir();
    const secret = '9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d';
    const crashed = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'crashingProcess.ts'), dataDir, secret], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(crashed.status, 70, crashed.stderr);
    const file = diagnosticLogFile(dataDir, 'core');
    assert.match(crashed.stderr, new RegExp(`uncaught exception: the projection table vanished .*see ${file.replace(/[.]/g, '\\.')}`));
    const written = lines(file);
    const fatal = written.at(-1)!;
    assert.equal(fatal.level, 'fatal');
    assert.match(String(fatal.msg), /^uncaught exception: the projection table vanished/);
    assert.match((fatal.reason as { stack: string }).stack, /crashingProcess\.ts/);
    assert.equal(fs.readFileSync(file, 'utf8').includes(secret), false);
  });

  const bin = path.resolve(__dirname, '../../bin/vigie.cjs');
  const built = fs.existsSync(path.resolve(__dirname, '../../dist/cli/vigie.cjs'));
  test(
    'vigie serve writes DATA/logs/vigie-core.log: its start, its address without the secret, its stop',
    { skip: built ? false : 'npm run build first' },
    async () => {
      const dataDir = tempDataDir();
      const child = spawn(process.execPath, [bin, 'serve', '--data', dataDir, '--port', '0', '--feed-ports', 'random'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const firstLine = await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout }).once('line', resolve));
      const secret = /#token=([0-9a-f]+)/.exec(firstLine)![1]!;
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      const file = diagnosticLogFile(dataDir, 'core');
      const messages = lines(file).map((line) => String(line.msg));
      assert.ok(
        messages.some((m) => /serve starting/.test(m)),
        messages.join('\n'),
      );
      assert.ok(messages.some((m) => /core listening on 127\.0\.0\.1:\d+/.test(m)));
      assert.ok(messages.some((m) => m === 'stopping (SIGTERM)'));
      assert.equal(messages.at(-1), 'stopped');
      assert.equal(fs.readFileSync(file, 'utf8').includes(secret), false);
    },
  );
});
