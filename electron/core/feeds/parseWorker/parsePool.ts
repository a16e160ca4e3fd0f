// Parsing and schema checks off the main thread. The sockets, framing, rate
// limiter, authorisation and the log stay on the main thread; the frames a
// TCP source delivered in one read go to a worker thread as one batch (one
// transferred buffer and its frame ends), and come back as one result per
// frame (frameParsing.ts), applied in the order the batches were sent — one
// worker, one queue, so every source keeps its order.
//
// A worker that crashes, exits or stops answering (STALL_MS) is reported;
// the batches it held are read on the main thread, in order, and a new
// worker is started (after MAX_RESTARTS in a minute the main thread keeps
// parsing). Nothing is lost and nothing waits on a dead worker. close()
// stops the worker with the core, reading what it still held first.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Site } from '../../../../shared/site';
import type { Logger } from '../../logger';
import type { RegisteredDevices } from '../cot/parseCotEvent';
import { parseFrame, type ParsedFeed, type ParsedFrame } from './frameParsing';

export type ParseWorkerRequest =
  | { type: 'batch'; id: number; feed: ParsedFeed; source?: string; bytes: Uint8Array; ends: Uint32Array; times: Float64Array }
  | { type: 'registry'; units: [string, string][] }
  /** Tests: the worker throws, as a bug in it would. */
  | { type: 'crash' };

export interface ParseWorkerReply {
  id: number;
  results: ParsedFrame[];
}

/** A device registry the worker can mirror: its version moves whenever a registration does. */
export interface MirroredRegistry extends RegisteredDevices {
  readonly version: number;
  registrations(): [string, string][];
}

/** Frames in flight beyond which TCP sources are held back (like the writer's queue), and where they resume. */
const HIGH_WATER_FRAMES = 8_192;
const LOW_WATER_FRAMES = 2_048;
/** The oldest batch unanswered this long: the worker is taken as hung. */
const STALL_MS = 5_000;
const MAX_RESTARTS = 3;

interface Batch {
  id: number;
  feed: ParsedFeed;
  source?: string;
  frames: Buffer[];
  times: Float64Array;
  apply: (results: ParsedFrame[]) => void;
  sentAt: number;
  results?: ParsedFrame[];
}

/** Work that must wait its turn behind the batches sent before it (a frame handled on the main thread). */
interface Deferred {
  run: () => void;
}

export interface ParsePoolOptions {
  site: Site;
  registered?: RegisteredDevices;
  logger: Logger;
  /** The frames in flight fell back under the low-water mark: held sources may be read again. */
  onDrained: () => void;
  /** The worker script (tests); by default parseWorker beside this module or its bundle. */
  workerFile?: string;
  stallMs?: number;
}

export class ParsePool {
  private worker: Worker | undefined;
  private readonly queue: (Batch | Deferred)[] = [];
  private framesInFlight = 0;
  private nextId = 1;
  private sentRegistry = -1;
  private restarts: number[] = [];
  private wasBusy = false;
  private closed = false;
  private readonly watchdog: NodeJS.Timeout;
  /** Crashes and hangs seen (feeds.status could show them; the tests read them). */
  failures = 0;

  constructor(private readonly options: ParsePoolOptions) {
    this.start();
    this.watchdog = setInterval(() => this.checkStall(), Math.min(1_000, options.stallMs ?? STALL_MS)).unref();
  }

  /** Whether a worker is up (false: frames are read on the main thread). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Too many frames in flight: TCP sources are held back until onDrained. */
  get busy(): boolean {
    return this.framesInFlight >= HIGH_WATER_FRAMES;
  }

  /**
   * Reads `frames` (with their receipt times) and calls `apply` with one
   * result per frame, after every batch submitted before. Synchronously on
   * the main thread when no worker is up.
   */
  submit(feed: ParsedFeed, source: string | undefined, frames: Buffer[], times: Float64Array, apply: (results: ParsedFrame[]) => void): void {
    if (frames.length === 0) return;
    const worker = this.worker;
    if (!worker || (feed === 'cot' && !this.mirrorRegistry(worker))) {
      this.defer(() => apply(this.parseHere(feed, source, frames, times)));
      return;
    }
    const batch: Batch = { id: this.nextId++, feed, source, frames, times, apply, sentAt: performance.now() };
    let total = 0;
    for (const frame of frames) total += frame.length;
    // Its own ArrayBuffer (not the shared pool's), so it can be handed over without a copy.
    const bytes = Buffer.allocUnsafeSlow(total);
    const ends = new Uint32Array(frames.length);
    let at = 0;
    for (let i = 0; i < frames.length; i++) {
      at += frames[i]!.copy(bytes, at);
      ends[i] = at;
    }
    this.queue.push(batch);
    this.framesInFlight += frames.length;
    if (this.busy) this.wasBusy = true;
    worker.postMessage({ type: 'batch', id: batch.id, feed, source, bytes, ends, times } satisfies ParseWorkerRequest, [bytes.buffer, ends.buffer]);
  }

  /** Runs `run` once every batch submitted before it is applied (now, when none waits). */
  defer(run: () => void): void {
    if (this.queue.length === 0) run();
    else this.queue.push({ run });
  }

  /** Tests: makes the worker throw, as a bug in it would. */
  crashWorker(): void {
    this.worker?.postMessage({ type: 'crash' } satisfies ParseWorkerRequest);
  }

  /** Stops the worker; what it still held is read here first, so nothing received is lost. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.watchdog);
    const worker = this.detach();
    this.drainHere();
    await worker?.terminate();
  }

  private start(): void {
    if (this.closed) return;
    let worker: Worker;
    try {
      const file = this.options.workerFile ?? defaultWorkerFile();
      // The TypeScript source (tests, benches under tsx): the worker registers tsx's loader itself, which it does not inherit.
      worker = file.endsWith('.ts')
        ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData: { site: this.options.site } })
        : new Worker(file, { workerData: { site: this.options.site } });
    } catch (error) {
      this.options.logger.error(`feed parse worker could not start (${describe(error)}): frames are parsed on the main thread`);
      return;
    }
    worker.unref();
    worker.on('message', (reply: ParseWorkerReply) => this.answered(worker, reply));
    worker.on('error', (error) => this.lost(worker, `crashed: ${describe(error)}`));
    worker.on('exit', (code) => this.lost(worker, `exited with code ${code}`));
    this.worker = worker;
    this.sentRegistry = -1;
  }

  private answered(worker: Worker, reply: ParseWorkerReply): void {
    if (worker !== this.worker) return;
    const batch = this.queue.find((item): item is Batch => 'id' in item && item.id === reply.id);
    if (batch) batch.results = reply.results;
    this.applyReady();
  }

  /** Applies, in order, every batch answered and every deferred item at the head of the queue. */
  private applyReady(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if ('id' in head) {
        if (!head.results) break;
        this.queue.shift();
        this.framesInFlight -= head.frames.length;
        this.applySafely(head, head.results);
      } else {
        this.queue.shift();
        this.runSafely(head.run);
      }
    }
    if (this.wasBusy && this.framesInFlight <= LOW_WATER_FRAMES) {
      this.wasBusy = false;
      this.options.onDrained();
    }
  }

  private lost(worker: Worker, why: string): void {
    if (worker !== this.worker || this.closed) return;
    this.failures += 1;
    const held = this.queue.reduce((sum, item) => sum + ('id' in item && !item.results ? item.frames.length : 0), 0);
    this.detach();
    const now = performance.now();
    this.restarts = this.restarts.filter((at) => now - at < 60_000);
    const restart = this.restarts.length < MAX_RESTARTS;
    this.options.logger.error(
      `feed parse worker ${why}; the ${held} frames it held are parsed on the main thread, in order` +
        (restart ? '; starting a new worker' : `; ${MAX_RESTARTS} restarts within a minute, so frames stay on the main thread`),
    );
    this.drainHere();
    if (restart) {
      this.restarts.push(now);
      this.start();
    }
  }

  private checkStall(): void {
    const head = this.queue.find((item): item is Batch => 'id' in item && !item.results);
    const worker = this.worker;
    if (!worker || !head || performance.now() - head.sentAt < (this.options.stallMs ?? STALL_MS)) return;
    this.lost(worker, `did not answer for ${Math.round(performance.now() - head.sentAt)} ms`);
    void worker.terminate();
  }

  /** Forgets the current worker (its late answers are ignored); returns it. */
  private detach(): Worker | undefined {
    const worker = this.worker;
    this.worker = undefined;
    worker?.removeAllListeners('message');
    return worker;
  }

  /** Every batch still waiting is read on the main thread, everything applied in order. */
  private drainHere(): void {
    for (const item of this.queue) if ('id' in item && !item.results) item.results = this.parseHere(item.feed, item.source, item.frames, item.times);
    this.applyReady();
  }

  private parseHere(feed: ParsedFeed, source: string | undefined, frames: Buffer[], times: Float64Array): ParsedFrame[] {
    const context = { site: this.options.site, registered: this.options.registered };
    return frames.map((frame, i) => parseFrame(feed, frame, times[i]!, context, source));
  }

  /** CoT needs the registered devices: sent before the batches that follow a change. False if they cannot be mirrored. */
  private mirrorRegistry(worker: Worker): boolean {
    const registered = this.options.registered as Partial<MirroredRegistry> | undefined;
    if (!registered) return true;
    if (registered.version === undefined || !registered.registrations) return false;
    if (registered.version !== this.sentRegistry) {
      worker.postMessage({ type: 'registry', units: registered.registrations() } satisfies ParseWorkerRequest);
      this.sentRegistry = registered.version;
    }
    return true;
  }

  private applySafely(batch: Batch, results: ParsedFrame[]): void {
    // Back from another thread: a signature's bytes arrive as a plain Uint8Array.
    for (const result of results) {
      const auth = 'auth' in result ? result.auth : undefined;
      if (auth?.ok && typeof auth.payload !== 'string' && !Buffer.isBuffer(auth.payload)) {
        const bytes = auth.payload as Uint8Array;
        auth.payload = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
    }
    this.runSafely(() => batch.apply(results));
  }

  private runSafely(run: () => void): void {
    try {
      run();
    } catch (error) {
      // What goes wrong with one source's frames must not stop the others'.
      this.options.logger.error(`feed frames could not be handled: ${describe(error)}`);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The worker script: the bundle beside the core's (dist/cli/parseWorker.cjs,
 * tools/bundles.mjs), else the TypeScript
 * source (tests and benches run under tsx, whose loader workers inherit).
 */
function defaultWorkerFile(): string {
  const bundled = path.join(__dirname, 'parseWorker.cjs');
  if (fs.existsSync(bundled)) return bundled;
  return path.join(__dirname, 'parseWorker.ts');
}
