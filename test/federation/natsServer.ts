// A real nats-server for the federation tests (`nats-server -js -sd DIR -p PORT`,
// Debian's package; .ci/run installs it): on a free loopback port, its store in
// a temporary folder, killed when the test file ends. It can be SIGKILLed and
// restarted on the same port and store, as an outage would.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

export const NATS_SERVER = process.env.NATS_SERVER ?? '/usr/sbin/nats-server';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class NatsServer {
  process: ChildProcess | undefined;
  readonly storeDir: string;
  constructor(
    readonly port: number,
    readonly jetstream = true,
    /** More nats-server arguments (--user, --pass…). */
    readonly extra: readonly string[] = [],
  ) {
    this.storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-nats-'));
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts (or restarts) the server; resolves once it listens. */
  async start(): Promise<this> {
    const args = ['-a', '127.0.0.1', '-p', String(this.port), ...(this.jetstream ? ['-js', '-sd', this.storeDir] : []), ...this.extra];
    const child = spawn(NATS_SERVER, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.process = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server did not start on ${this.port}: ${output}`)), 10_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited (${code}): ${output}`));
      });
    });
    child.stderr!.resume();
    return this;
  }

  /** SIGKILL, as a crash would; resolves once the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}

/** A started server, killed and its store removed when the test file ends. */
export async function startNats(options: { jetstream?: boolean; extra?: string[] } = {}): Promise<NatsServer> {
  const server = new NatsServer(await freePort(), options.jetstream ?? true, options.extra);
  after(async () => {
    await server.kill();
    fs.rmSync(server.storeDir, { recursive: true, force: true });
  });
  return server.start();
}
