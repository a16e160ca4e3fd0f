// A real nats-server for the federation tests (`nats-server -js -sd DIR -p PORT`,
// Debian's package; .ci/run installs it): on a free loopback port, its store in
// a temporary folder, killed when the test file ends. It can be SIGKILLed and
// restarted on the same port and store, as an outage would. Or a cluster of
// them (docs/scale.md): each node its own store, routes between them on
// loopback, JetStream replicated.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { clusterRouteArgs } from '../../bench/federation';

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
    /** The server's name (--server_name), as JetStream names a stream's leader and replicas. */
    readonly name?: string,
  ) {
    this.storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-nats-'));
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts (or restarts) the server; resolves once it listens. */
  async start(): Promise<this> {
    const args = [
      '-a',
      '127.0.0.1',
      '-p',
      String(this.port),
      ...(this.name ? ['--server_name', this.name] : []),
      ...(this.jetstream ? ['-js', '-sd', this.storeDir] : []),
      ...this.extra,
    ];
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

/** Stops the servers and removes their stores. */
async function discard(servers: readonly NatsServer[]): Promise<void> {
  for (const server of servers) {
    await server.kill();
    fs.rmSync(server.storeDir, { recursive: true, force: true });
  }
}

/**
 * Starts what `make` builds on free ports. A port found free can be taken by
 * another process (an outgoing connection's ephemeral port, a test file
 * running beside) before nats-server binds it: then the servers are dropped
 * and made again on other ports, a few times.
 */
async function onFreePorts<T>(make: () => Promise<{ servers: readonly NatsServer[]; result: T }>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const { servers, result } = await make();
    try {
      await Promise.all(servers.map((server) => server.start()));
      after(() => discard(servers));
      return result;
    } catch (error) {
      await discard(servers);
      if (attempt >= 5 || !/address already in use/.test((error as Error).message)) throw error;
    }
  }
}

/** A started server, killed and its store removed when the test file ends. */
export async function startNats(options: { jetstream?: boolean; extra?: string[] } = {}): Promise<NatsServer> {
  return onFreePorts(async () => {
    const server = new NatsServer(await freePort(), options.jetstream ?? true, options.extra);
    return { servers: [server], result: server };
  });
}

export class NatsCluster {
  constructor(readonly nodes: readonly NatsServer[]) {}

  /** Every node's address, as a client given a cluster takes them (comma-separated). */
  get url(): string {
    return this.nodes.map((node) => node.url).join(',');
  }

  node(name: string): NatsServer {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node ${name} in the cluster (${this.nodes.map((n) => n.name).join(', ')})`);
    return node;
  }

  /** The stream's leader and replicas as JetStream reports them (asked through any node that answers). */
  async streamPlacement(stream: string): Promise<{ leader: string; replicas: { name: string; current: boolean }[] }> {
    const nc = await connect({ servers: this.nodes.filter((n) => n.process).map((n) => n.url), timeout: 5_000 });
    try {
      const info = await (await jetstreamManager(nc, { timeout: 5_000 })).streams.info(stream);
      return { leader: info.cluster?.leader ?? '', replicas: (info.cluster?.replicas ?? []).map((r) => ({ name: r.name, current: r.current })) };
    } finally {
      await nc.close();
    }
  }

  /**
   * Resolves once the cluster can place a stream on every node: a probe
   * stream with as many replicas as nodes is made and deleted (JetStream
   * answers on each node well before its meta group knows every peer).
   */
  async ready(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const nc = await connect({ servers: this.url, timeout: 2_000 }).catch((error: Error) => void (last = error.message));
      if (nc) {
        try {
          const jsm = await jetstreamManager(nc, { timeout: 5_000 });
          await jsm.streams.add({ name: 'CLUSTER_READY', subjects: ['cluster.ready'], num_replicas: this.nodes.length });
          await jsm.streams.delete('CLUSTER_READY');
          return;
        } catch (error) {
          last = (error as Error).message;
        } finally {
          await nc.close();
        }
      }
      if (Date.now() > deadline) throw new Error(`the cluster cannot place a stream on its ${this.nodes.length} nodes after ${timeoutMs} ms: ${last}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * A cluster of `size` JetStream nodes (n1, n2…) routed to each other on
 * loopback, started and ready; killed and their stores removed when the test
 * file ends. A node can be SIGKILLed and started again on its port and store.
 */
export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const cluster = await onFreePorts(async () => {
    const routePorts: number[] = [];
    const clientPorts: number[] = [];
    for (let i = 0; i < size; i++) {
      clientPorts.push(await freePort());
      routePorts.push(await freePort());
    }
    const nodes = clientPorts.map((port, i) => new NatsServer(port, true, clusterRouteArgs(routePorts, i), `n${i + 1}`));
    return { servers: nodes, result: new NatsCluster(nodes) };
  });
  await cluster.ready();
  return cluster;
}
