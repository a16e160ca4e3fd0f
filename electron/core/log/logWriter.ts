// The one way into the log once the core runs: feed messages, operator
// actions and the core's own events all go through here, in one order.
//
// - Feed work is queued (`enqueue`) and committed by group commit: what
//   arrived in one turn of the event loop becomes one block (one
//   transaction), cut short at `maxBlock` messages or `blockMs` of deriving
//   so that the loop turns — and new arrivals are read — between blocks. A
//   message's events are derived when its block is cut, so derivation sees
//   the picture as committed up to the block before (see QueuedWork).
// - Urgent work (a detection, a chat message: what a console must show at
//   once) is cut as its own block ahead of the queue, unless earlier work
//   from the same source still waits there: across sources arrival order
//   is the network's accident, within one it is the sender's meaning. At
//   10,000 tracks, under a backlog, a detection otherwise waited behind
//   thousands of fixes (docs/performance.md).
// - Operator actions and system events (`append`) first commit everything
//   queued before them, then their own block, synchronously: the caller sees
//   the picture with its action applied when append returns.
// - Storage stall: a block the log refuses because the disk is full or the
//   database is locked by another process is kept exactly as derived (its
//   alerts already numbered) and retried every STORAGE_RETRY_MS; nothing
//   overtakes it — queued work waits behind it and `append` is refused with
//   StorageUnavailableError. Meanwhile the writer declares itself congested
//   (TCP and WebSocket sources are not read; UDP datagrams are refused and
//   counted) and reports the problem in `storage` (feeds.status).
// - Recovery: a block that fails for any other reason is rolled back whole;
//   the picture is read back from its tables and the block's messages are
//   committed one by one with the events they were derived into, so one bad
//   message cannot take the others with it; what still fails is handed back
//   (`unloggable`: the feed quarantines it).
import type { Clock } from '../../../shared/clock';
import type { StorageStatus } from '../../../shared/contract';
import type { Logger } from '../logger';
import { Refusal } from '../refusal';
import type { EventKind, LogEvent } from './eventCatalogue';
import type { EventLog } from './eventLog';

/** How often a block refused for lack of storage is tried again. */
export const STORAGE_RETRY_MS = 500;

export type StorageProblem = 'disk-full' | 'locked';

/**
 * SQLite errors that say the log cannot be written *now* (disk full, file
 * locked by another process), not that the block is bad: the block must
 * wait, not be split up and quarantined.
 */
export function storageProblem(error: unknown): StorageProblem | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code === 'SQLITE_FULL') return 'disk-full';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  return undefined;
}

/** Thrown by LogWriter.append while storage is missing: nothing may overtake the waiting block. */
export class StorageUnavailableError extends Refusal<'storage-unavailable'> {
  constructor(
    readonly problem: StorageProblem,
    /** Whether feed ingest is paused behind a waiting block (false: this append alone was refused). */
    paused = true,
    options?: ErrorOptions,
  ) {
    super(
      'storage-unavailable',
      { problem },
      `the log cannot be written: ${problem === 'disk-full' ? 'the disk is full' : 'the database is locked by another process'}${paused ? ' (feed ingest paused)' : ''}`,
    );
    if (options?.cause !== undefined) this.cause = options.cause;
    this.name = 'StorageUnavailableError';
  }
}

/**
 * Work waiting in the queue: one feed message. Its events are derived only
 * when its block is cut, against the picture as committed so far — after the
 * blocks before it, including a waiting block once storage returned, and
 * after any operator action appended since it arrived.
 */
export interface QueuedWork {
  /** performance.now() at receipt, for the receipt-to-commit latency. */
  readonly hr: number;
  /** A console must see its events at once: cut ahead of the queued work of other sources. */
  readonly urgent?: boolean;
  /** Where it came from (a feed connection): urgent work never overtakes earlier work from the same source. */
  readonly source?: string;
  /** Reads the picture with everything queued before it committed: it starts a block (a periodic check, not a feed message). */
  readonly startsBlock?: boolean;
  /** Adds this work's events to the block being cut. */
  derive(out: LogEvent[]): void;
  /** Its events could not be logged even on their own (not for lack of storage). */
  unloggable(error: unknown): void;
}

/** What can take an ordered, typed append: the writer, or the bare log where no writer runs (a fresh database, tests). */
export interface EventAppender {
  append<K extends EventKind>(events: readonly LogEvent<K>[]): unknown;
}

export interface LogWriterOptions {
  log: Pick<EventLog, 'append'>;
  /** The projection kept in memory, read back from its tables after a rolled-back block. */
  picture: { reload(): void };
  clock: Clock;
  logger: Logger;
  /** Rows kept beside the log (the feed quarantine), written before each block; on a full disk they are lost, not waited for. */
  beside?: { readonly pending: number; flush(): void };
  /** Largest block per commit. */
  maxBlock?: number;
  /** Longest a block may spend deriving before it is cut (ms): what an arrival can wait behind. */
  blockMs?: number;
  /** Queue length at which the writer declares itself congested, and at which it stops. */
  highWater?: number;
  lowWater?: number;
}

interface Block {
  work: QueuedWork[];
  events: LogEvent[];
  /** ends[i]: the end (exclusive) of work[i]'s events in `events`. */
  ends: number[];
}

/**
 * Deriving a block stops after this long (ms) by default. Under a backlog an
 * urgent message then waits behind one such block and its commit, not up to
 * maxBlock messages (~250 ms of fixes at 10,000 tracks). Not smaller: at 8 ms
 * the core, sharing two cores with Chromium, fell behind 10,000 tracks at 1 Hz
 * (docs/performance.md, *An urgent lane, blocks cut at 40 ms*).
 */
export const BLOCK_MS = 40;

export class LogWriter implements EventAppender {
  /** Work waiting, in arrival order from `head` on (cut blocks advance `head`; the array is compacted now and then). */
  private queue: QueuedWork[] = [];
  private head = 0;
  /** Urgent work, cut before the queue (see enqueue). */
  private urgent: QueuedWork[] = [];
  /** Work ever cut from the queue, and for each source the position of its last work put there: whether it still waits. */
  private cutTotal = 0;
  private readonly lastQueuedAt = new Map<string, number>();
  private flushScheduled = false;
  private congested = false;
  private readonly congestionListeners = new Set<(congested: boolean) => void>();
  private readonly committedListeners = new Set<(latenciesMs: Float64Array, count: number) => void>();
  private readonly maxBlock: number;
  private readonly blockMs: number;
  private readonly highWater: number;
  private readonly lowWater: number;
  /**
   * A block the log refused for lack of storage, kept exactly as derived (its
   * alerts already numbered): it is committed first, as it is, once storage
   * returns. While it waits, the writer is congested.
   */
  private stalled: (Block & { problem: StorageProblem; since: number }) | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  /** UDP datagrams refused while paused for storage. */
  private refusedForStorage = 0;
  private closed = false;

  constructor(private readonly options: LogWriterOptions) {
    this.maxBlock = options.maxBlock ?? 5_000;
    this.blockMs = options.blockMs ?? BLOCK_MS;
    // About a second of full-speed ingest: beyond it, TCP sources wait instead of the queue growing.
    this.highWater = options.highWater ?? 20_000;
    this.lowWater = options.lowWater ?? 5_000;
  }

  /**
   * Appends operator actions or system events as one block, after
   * everything queued before them. Throws StorageUnavailableError while a
   * block waits for storage (or when this block itself finds it missing);
   * the picture is then as committed.
   */
  append<K extends EventKind>(events: readonly LogEvent<K>[]): void {
    this.flushNow();
    if (this.stalled) throw new StorageUnavailableError(this.stalled.problem);
    if (events.length === 0) return;
    try {
      this.options.log.append(events);
    } catch (error) {
      // The projections ran inside the rolled-back transaction.
      this.options.picture.reload();
      const problem = storageProblem(error);
      throw problem ? new StorageUnavailableError(problem, false, { cause: error }) : error;
    }
  }

  /**
   * Queues feed work; it is committed with what else arrives in this turn of
   * the event loop. Urgent work goes ahead of the queue unless earlier work
   * of its source is still in it.
   */
  enqueue(work: QueuedWork): void {
    const source = work.source;
    if (work.urgent && source !== undefined && !((this.lastQueuedAt.get(source) ?? -1) >= this.cutTotal)) this.urgent.push(work);
    else {
      if (source !== undefined) this.lastQueuedAt.set(source, this.cutTotal + this.queued - this.urgent.length);
      this.queue.push(work);
    }
    if (!this.congested && this.queued >= this.highWater) this.setCongested(true);
    this.scheduleFlush();
  }

  /** Asks for a flush soon (rows waiting beside the log). */
  schedule(): void {
    this.scheduleFlush();
  }

  /** Commits everything queued now (before an action, at shutdown, in tests). A block waiting for storage is tried once and stays if it still cannot be written. */
  flushNow(): void {
    while ((this.queued > 0 || this.stalled) && this.flush());
  }

  /** Work waiting to be cut into a block (urgent or not). */
  get queued(): number {
    return this.queue.length - this.head + this.urgent.length;
  }

  /** The storage problem a block waits on, or null when the log can be written. */
  get storageProblem(): StorageProblem | null {
    return this.stalled?.problem ?? null;
  }

  /** Whether the log can be written, for the console (feeds.status). */
  get storage(): StorageStatus {
    return {
      problem: this.stalled?.problem ?? null,
      since: this.stalled?.since ?? null,
      waiting: (this.stalled?.work.length ?? 0) + this.queued,
      refused: this.refusedForStorage,
    };
  }

  /** Counts a UDP datagram dropped while congested: refused for storage when a block waits for it. */
  countRefused(): void {
    if (this.stalled) this.refusedForStorage += 1;
  }

  /**
   * Whether a congested pipeline stops reading `source`: always while a block
   * waits for storage; past the high-water mark only while work of that
   * source is still queued — a camera with nothing waiting is not what fills
   * the queue, and its next detection should not wait for it to drain.
   */
  holds(source: string): boolean {
    return this.stalled !== undefined || (this.lastQueuedAt.get(source) ?? -1) >= this.cutTotal;
  }

  /** Congested: the queue is past its high-water mark, or a block waits for storage. */
  onCongestion(listener: (congested: boolean) => void): () => void {
    this.congestionListeners.add(listener);
    return () => this.congestionListeners.delete(listener);
  }

  /** After each committed block of queued work: receipt-to-commit latencies (ms) of its messages. */
  onCommitted(listener: (latenciesMs: Float64Array, count: number) => void): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  /** Stops retrying (the core is stopping; a block still waiting for storage is lost, never having been reported committed). */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private setCongested(congested: boolean): void {
    this.congested = congested;
    for (const listener of this.congestionListeners) listener(congested);
  }

  private scheduleFlush(): void {
    // Waiting for storage: the retry timer flushes, not every arrival.
    if (this.flushScheduled || this.stalled || this.closed) return;
    this.flushScheduled = true;
    // setImmediate: everything that arrived in this turn of the event loop
    // becomes one transaction (group commit), yet nothing waits for a timer.
    setImmediate(() => {
      this.flushScheduled = false;
      this.runFlush();
    });
  }

  private runFlush(): void {
    if (this.closed) return;
    try {
      this.flush();
    } catch (error) {
      this.options.logger.error(`log commit failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    if (!this.stalled && (this.queued > 0 || (this.options.beside?.pending ?? 0) > 0)) this.scheduleFlush();
  }

  /**
   * One step: the waiting block if any, the rows beside the log, then one
   * block — the urgent work if any, else the head of the queue. False while
   * storage is missing.
   */
  private flush(): boolean {
    try {
      if (this.stalled && !this.commit(this.stalled)) return false;
      this.flushBeside();
      if (this.urgent.length > 0) {
        const work = this.urgent;
        this.urgent = [];
        const events: LogEvent[] = [];
        const ends = new Array<number>(work.length);
        for (let i = 0; i < work.length; i++) {
          work[i]!.derive(events);
          ends[i] = events.length;
        }
        return this.commit({ work, events, ends });
      }
      return this.queue.length === this.head || this.commit(this.cutQueue());
    } finally {
      if (this.congested && !this.stalled && this.queued <= this.lowWater) this.setCongested(false);
    }
  }

  /** Derives the head of the queue into a block: at most maxBlock messages, or what blockMs allows (checked every 32). */
  private cutQueue(): Block {
    const queue = this.queue;
    const from = this.head;
    const last = Math.min(queue.length, from + this.maxBlock);
    const events: LogEvent[] = [];
    const ends: number[] = [];
    const started = performance.now();
    let i = from;
    try {
      while (i < last) {
        if (i > from && queue[i]!.startsBlock) break;
        const work = queue[i]!;
        // Counted as cut before deriving: work whose derivation throws is dropped with its block, as it always was, not retried forever.
        i += 1;
        work.derive(events);
        ends.push(events.length);
        if (((i - from) & 31) === 0 && performance.now() - started >= this.blockMs) break;
      }
    } finally {
      this.cutTotal += i - from;
      if (i === queue.length) {
        // Drained: nothing of any source waits any more.
        this.queue = [];
        this.head = 0;
        this.lastQueuedAt.clear();
      } else if (i > 4096 && i * 2 > queue.length) {
        this.queue = queue.slice(i);
        this.head = 0;
        // Sources whose work was all cut need no entry (connections come and go for years).
        for (const [source, at] of this.lastQueuedAt) if (at < this.cutTotal) this.lastQueuedAt.delete(source);
      } else this.head = i;
    }
    const work = queue.slice(from, i);
    return { work, events, ends };
  }

  /**
   * Appends one derived block. A block refused for lack of storage becomes
   * (or stays) the waiting block: false. Any other failure goes through
   * recover().
   */
  private commit(block: Block): boolean {
    const waited = this.stalled;
    try {
      if (block.events.length > 0) this.options.log.append(block.events);
    } catch (error) {
      // The projections ran inside the rolled-back transaction: read the committed state again.
      this.options.picture.reload();
      const problem = storageProblem(error);
      if (!problem) {
        // A waiting block that now fails for another reason is recovered like any other (its remainder waits on if storage goes again).
        const recovered = this.recover(block, error);
        if (recovered && waited) {
          this.stalled = undefined;
          this.resumed(waited);
        }
        return recovered;
      }
      this.wait(block, problem, error);
      return false;
    }
    if (waited) {
      this.stalled = undefined;
      this.resumed(waited);
    }
    this.committed(block.work);
    return true;
  }

  private resumed({ problem, since }: { problem: StorageProblem; since: number }): void {
    this.options.logger.warn(
      `the log can be written again (${problem} for ${((this.options.clock.now() - since) / 1000).toFixed(1)} s): feed ingest resumed; ${this.refusedForStorage} UDP datagrams refused so far`,
    );
  }

  /** Makes `block` the waiting block (or keeps the one waiting) and retries it later. */
  private wait(block: Block, problem: StorageProblem, error: unknown): void {
    if (this.stalled) {
      // Still missing: the same block keeps waiting (a block cut from its remainder replaces it).
      this.stalled = { ...block, problem: this.stalled.problem, since: this.stalled.since };
    } else {
      this.stalled = { ...block, problem, since: this.options.clock.now() };
      this.options.logger.error(
        `${problem === 'disk-full' ? 'disk full' : 'database locked by another process'}: the log cannot be written (${error instanceof Error ? error.message : String(error)}); ` +
          `feed ingest paused — TCP and WebSocket sources held back, UDP datagrams refused and counted — ${block.work.length} messages waiting; retrying every ${STORAGE_RETRY_MS} ms`,
      );
      if (!this.congested) this.setCongested(true);
    }
    if (this.closed) return;
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = undefined;
      this.runFlush();
    }, STORAGE_RETRY_MS).unref();
  }

  private committed(work: QueuedWork[]): void {
    if (this.committedListeners.size === 0 || work.length === 0) return;
    const done = performance.now();
    const latencies = new Float64Array(work.length);
    let count = 0;
    // A periodic check (startsBlock) was not received: it has no receipt-to-commit latency and is not a message.
    for (const item of work) if (!item.startsBlock) latencies[count++] = done - item.hr;
    if (count === 0) return;
    for (const listener of this.committedListeners) listener(count === work.length ? latencies : latencies.subarray(0, count), count);
  }

  /** Writes the rows kept beside the log; on a full disk they are lost (the feed's counters keep them). */
  private flushBeside(): void {
    const beside = this.options.beside;
    if (!beside || beside.pending === 0) return;
    const pending = beside.pending;
    try {
      beside.flush();
    } catch (error) {
      if (!storageProblem(error)) throw error;
      this.options.logger.error(
        `quarantine: ${pending} refused messages could not be stored (${error instanceof Error ? error.message : String(error)}); they stay counted in feeds.status`,
      );
    }
  }

  /**
   * A block that could not be committed (rolled back whole, the picture
   * already read back): its messages are committed one by one, each with the
   * events it was derived into; what still fails is handed back to its
   * producer. If storage goes missing meanwhile, the rest of the block waits
   * for it as derived. True unless it does.
   */
  private recover(block: Block, error: unknown): boolean {
    const { work, events, ends } = block;
    this.options.logger.error(
      `log block of ${work.length} messages rolled back (${error instanceof Error ? error.message : String(error)}); retrying one by one`,
    );
    let from = 0;
    for (let i = 0; i < work.length; from = ends[i]!, i++) {
      const to = ends[i]!;
      if (to === from) continue;
      try {
        this.options.log.append(events.slice(from, to));
      } catch (single) {
        this.options.picture.reload();
        const problem = storageProblem(single);
        if (problem) {
          this.committed(work.slice(0, i));
          this.wait({ work: work.slice(i), events: events.slice(from), ends: ends.slice(i).map((end) => end - from) }, problem, single);
          return false;
        }
        work[i]!.unloggable(single);
      }
    }
    this.committed(work);
    return true;
  }
}
