// The simulator's side of the feed sockets. A device must never block on the
// core, so:
//   - UDP is fire-and-forget (an error is counted, never retried);
//   - a stream (TCP, WebSocket) reconnects with backoff when it drops, sends
//     its hello first on every connection, and respects backpressure: once a
//     write reports a full buffer nothing more is written until it drains.
//     Meanwhile messages wait in a bounded queue where a newer position
//     replaces the unsent older one (skipped as stale), and the oldest are
//     dropped if the queue still overflows.
import dgram from 'node:dgram';
import net from 'node:net';
import WebSocket from 'ws';
import type { SimMessage } from '../simulation';

export interface LinkStats {
  /** Messages handed to the OS, by protocol, then kind. */
  sent: Record<string, Record<string, number>>;
  skippedStale: number;
  dropped: number;
  udpErrors: number;
  connects: number;
}

export function newLinkStats(): LinkStats {
  return { sent: { nmea: {}, json: {}, cot: {}, ais: {} }, skippedStale: 0, dropped: 0, udpErrors: 0, connects: 0 };
}

function countSent(stats: LinkStats, protocol: string, kind: string): void {
  const byKind = (stats.sent[protocol] ??= {});
  byKind[kind] = (byKind[kind] ?? 0) + 1;
}

export interface Link {
  send(message: SimMessage): void;
  close(): Promise<void>;
}

/**
 * The address a simulated UDP device sends from. Real radars each have their
 * own address, and the core's rate limit is per source address (docs/feeds.md):
 * sending all from 127.0.0.1 made sixteen radars one source, throttled at
 * `perSourceRate`. On Linux all of 127/8 is loopback, so device `index` gets
 * 127.0.0.(2 + index); elsewhere (macOS has only 127.0.0.1) the OS picks.
 */
export function udpLocalAddress(host: string, index: number, platform: NodeJS.Platform = process.platform): string | undefined {
  if (host !== '127.0.0.1' || platform !== 'linux' || index < 0 || index > 250) return undefined;
  return `127.0.0.${2 + index}`;
}

/** Datagrams from one local socket (one per device, as real devices have their own). */
export class UdpLink implements Link {
  private readonly socket: dgram.Socket;
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly stats: LinkStats,
    /** Spreads datagrams over time; without one they go at once. */
    private readonly pacer?: UdpPacer,
    /** The address to send from (the device's own); unset: the OS picks. */
    localAddress?: string,
  ) {
    this.socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    this.socket.on('error', () => {
      this.stats.udpErrors += 1;
    });
    // Datagrams sent while the bind is pending are queued by Node, not lost.
    if (localAddress !== undefined) this.socket.bind({ address: localAddress, port: 0 });
  }

  send(message: SimMessage): void {
    if (this.closed) return;
    if (this.pacer) this.pacer.enqueue(this, message);
    else this.transmit(message);
  }

  /** Hands one datagram to the OS now. */
  transmit(message: SimMessage): void {
    if (this.closed) return;
    countSent(this.stats, message.protocol, message.kind);
    this.socket.send(message.bytes ?? message.text, this.port, this.host, (error) => {
      if (error) this.stats.udpErrors += 1;
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}

/**
 * A tick's worth of radar reports is hundreds of datagrams; sent in one burst
 * they overflow the receiver's socket buffer and are lost. Real radars emit
 * continuously, so the pacer spreads each batch evenly over the tick: every
 * `sliceMs` it sends its share of what is waiting.
 */
export class UdpPacer {
  private readonly queue: { link: UdpLink; message: SimMessage }[] = [];
  private head = 0;
  private slicesLeft = 1;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly spreadMs: number,
    private readonly stats: LinkStats,
    private readonly sliceMs = 10,
    private readonly maxQueue = 200_000,
  ) {
    this.timer = setInterval(() => this.slice(), sliceMs);
  }

  enqueue(link: UdpLink, message: SimMessage): void {
    this.queue.push({ link, message });
    // New work: spread everything waiting over the next tick.
    this.slicesLeft = Math.max(1, Math.floor(this.spreadMs / this.sliceMs));
    if (this.queue.length - this.head > this.maxQueue) {
      this.head += 1;
      this.stats.dropped += 1;
    }
  }

  /** Stops; what is still waiting (less than a tick) is not sent — a burst now would only be lost. */
  stop(): void {
    clearInterval(this.timer);
    this.queue.length = 0;
    this.head = 0;
  }

  private slice(): void {
    const waiting = this.queue.length - this.head;
    if (waiting === 0) return;
    this.send(Math.ceil(waiting / this.slicesLeft));
    this.slicesLeft = Math.max(1, this.slicesLeft - 1);
  }

  private send(count: number): void {
    const end = Math.min(this.queue.length, this.head + count);
    for (let i = this.head; i < end; i++) this.queue[i]!.link.transmit(this.queue[i]!.message);
    this.head = end;
    if (this.head > 4_096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** What a stream link needs from a transport. */
export interface Wire {
  /** false: the buffer is full, wait for onDrain before writing more. */
  write(data: string | Uint8Array): boolean;
  /** Polite close (FIN / close frame). */
  end(): void;
  destroy(): void;
}

export interface WireEvents {
  onOpen(): void;
  onData(data: Buffer): void;
  onDrain(): void;
  onClose(reason: string | undefined): void;
}

export type Dial = (events: WireEvents) => Wire;

export function dialTcp(host: string, port: number): Dial {
  return (events) => {
    const socket = net.connect({ host, port });
    let reason: string | undefined;
    // Bytes, not text: a TAK phone's stream may carry protobuf frames.
    socket.setNoDelay(true);
    socket.on('connect', () => events.onOpen());
    socket.on('data', (data: Buffer) => events.onData(data));
    socket.on('drain', () => events.onDrain());
    socket.on('error', (error: NodeJS.ErrnoException) => {
      reason = error.code ?? error.message;
    });
    socket.on('close', () => events.onClose(reason));
    return { write: (data) => socket.write(data), end: () => socket.end(), destroy: () => socket.destroy() };
  };
}

/** Above this many buffered bytes a WebSocket counts as blocked; 'drain' is polled (ws has no event for it). */
const WS_HIGH_WATER = 256 * 1024;

export function dialWebSocket(host: string, port: number): Dial {
  return (events) => {
    const url = `ws://${net.isIPv6(host) ? `[${host}]` : host}:${port}/`;
    const socket = new WebSocket(url, { maxPayload: 1024 * 1024 });
    let reason: string | undefined;
    let poll: NodeJS.Timeout | undefined;
    socket.on('open', () => events.onOpen());
    // One JSON object per message; make sure the line splitter sees its end.
    socket.on('message', (data: WebSocket.RawData) => {
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      events.onData(Buffer.from(text.endsWith('\n') ? text : `${text}\n`, 'utf8'));
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      reason = error.code ?? error.message;
    });
    socket.on('close', () => {
      if (poll) clearInterval(poll);
      events.onClose(reason);
    });
    return {
      write: (data) => {
        socket.send(data);
        if (socket.bufferedAmount < WS_HIGH_WATER) return true;
        poll ??= setInterval(() => {
          if (socket.bufferedAmount < WS_HIGH_WATER / 2) {
            clearInterval(poll);
            poll = undefined;
            events.onDrain();
          }
        }, 25);
        return false;
      },
      end: () => socket.close(1000, 'simulation stopped'),
      destroy: () => socket.terminate(),
    };
  };
}

export interface StreamLinkOptions {
  name: string;
  dial: Dial;
  /** Sent first on every connection (JSON feed hello), counted as json:hello. */
  hello?: string;
  /** What the core sends down this connection. */
  onData?: (data: Buffer) => void;
  log: (line: string) => void;
  stats: LinkStats;
  /** Most messages waiting while the connection is down or blocked. */
  maxQueue?: number;
  /** Reconnect delays: first, then doubling up to the maximum, ms. */
  backoffMs?: { first: number; max: number };
}

export class StreamLink implements Link {
  private wire: Wire | undefined;
  private open = false;
  private blocked = false;
  private closed = false;
  private readonly queue = new Map<string, SimMessage>();
  private sequence = 0;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private closedWaiters: (() => void)[] = [];

  constructor(private readonly options: StreamLinkOptions) {
    this.connect();
  }

  get connected(): boolean {
    return this.open;
  }

  send(message: SimMessage): void {
    if (this.closed) return;
    if (this.open && !this.blocked && this.queue.size === 0) this.write(message);
    else this.enqueue(message);
  }

  /** Ends the connection politely (waiting up to a second for it to close) and stops reconnecting. */
  close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.queue.clear();
    const wire = this.wire;
    if (!wire) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => wire.destroy(), 1_000);
      this.closedWaiters.push(() => {
        clearTimeout(force);
        resolve();
      });
      wire.end();
    });
  }

  private connect(): void {
    this.wire = this.options.dial({
      onOpen: () => {
        if (this.failures > 0) this.options.log(`${this.options.name}: connected`);
        this.failures = 0;
        this.open = true;
        this.blocked = false;
        this.options.stats.connects += 1;
        if (this.options.hello !== undefined) {
          countSent(this.options.stats, 'json', 'hello');
          if (!this.wire!.write(this.options.hello)) this.blocked = true;
        }
        this.flush();
      },
      onData: (data) => {
        if (!this.closed) this.options.onData?.(data);
      },
      onDrain: () => {
        this.blocked = false;
        this.flush();
      },
      onClose: (reason) => {
        const wasOpen = this.open;
        this.open = false;
        this.blocked = false;
        this.wire = undefined;
        if (this.closed) {
          for (const waiter of this.closedWaiters.splice(0)) waiter();
          return;
        }
        this.failures += 1;
        const { first, max } = this.options.backoffMs ?? { first: 250, max: 10_000 };
        const delay = Math.min(max, first * 2 ** Math.min(this.failures - 1, 16));
        if (wasOpen || this.failures === 1)
          this.options.log(`${this.options.name}: ${wasOpen ? 'connection lost' : 'cannot connect'}${reason ? ` (${reason})` : ''}; retrying with backoff`);
        this.timer = setTimeout(() => {
          this.timer = undefined;
          if (!this.closed) this.connect();
        }, delay);
      },
    });
  }

  private write(message: SimMessage): void {
    countSent(this.options.stats, message.protocol, message.kind);
    if (!this.wire!.write(message.bytes ?? message.text)) this.blocked = true;
  }

  private enqueue(message: SimMessage): void {
    if (message.replaceKey !== undefined) {
      const key = `r:${message.replaceKey}`;
      // Delete first so the newest takes its place at the back, after what was queued before it.
      if (this.queue.delete(key)) this.options.stats.skippedStale += 1;
      this.queue.set(key, message);
    } else {
      this.queue.set(`s:${this.sequence++}`, message);
    }
    const limit = this.options.maxQueue ?? 5_000;
    while (this.queue.size > limit) {
      const oldest = this.queue.keys().next().value as string;
      this.queue.delete(oldest);
      this.options.stats.dropped += 1;
    }
  }

  private flush(): void {
    for (const [key, message] of this.queue) {
      if (!this.open || this.blocked || this.closed) return;
      this.queue.delete(key);
      this.write(message);
    }
  }
}
