// The post's uplink (issue 16; docs/federation.md): publishes the event log,
// in seq order, to the post's JetStream stream. The log is the outbox: the
// uplink reads what is committed and publishes it, and nothing at the post
// ever waits for it — the feeds and consoles carry on while NATS is down, and
// once it is back the uplink resumes from what the stream already holds
// (its last block message, checked against this log), seconds or days later.
import { headers, type NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamManager,
  type JsMsg,
  type PubAck,
  type StreamInfo,
} from '@nats-io/jetstream';
import type { Clock } from '../../../shared/clock';
import type { UplinkProblemCode, UplinkView } from '../../../shared/contract';
import type { Db } from '../db/database';
import type { EventLog } from '../log/eventLog';
import { iterateStoredRows, readLogBase } from '../log/eventLog';
import { blockHashFormat, fingerprintWidth, type StoredEvent } from '../log/hashChain';
import { chainHeadAt } from '../log/verify';
import type { Logger } from '../logger';
import { classifyNatsError, connectNats, displayServers, ensureCentreStream, type NatsTarget } from './natsLink';
import {
  ALIVE_EVERY_MS,
  aliveSubject,
  CENTRE_STREAM,
  POST_HEADER,
  WireError,
  blockMessageId,
  centreSubject,
  decodeBlock,
  decodeCentreMessage,
  encodeBlock,
  encodeEvent,
  eventMessageId,
  streamName,
  subjects,
  type CentreMessage,
} from './wire';

export interface UplinkOptions extends NatsTarget {
  post: string;
  db: Db;
  log: EventLog;
  clock: Clock;
  logger: Logger;
  /** Wait between attempts after a failure (default 2 s; a refusal waits 15×). */
  retryMs?: number;
  /**
   * A message from the centre to this post, checked: log it (once — a
   * redelivered one is already in the log). Throwing leaves it on the stream
   * for later. Without it the post reads no messages.
   */
  onCentreMessage?: (message: CentreMessage) => void;
  /** Each new connection, for what else rides on it (the neighbours' digests, neighbours.ts). */
  onConnected?: (nc: NatsConnection) => void;
  /**
   * Copies of the stream on a cluster's servers (1–5; docs/scale.md). Given,
   * an existing stream is brought to it; not given, a new stream has 1 and
   * an existing one is left as the server's administrator set it.
   */
  replicas?: number;
  /** The stream's cap in bytes, beyond which the server refuses new messages (never drops old ones); not given, as for replicas. */
  maxBytes?: number;
  /** How often the post says it is alive to the centre (default ALIVE_EVERY_MS; tests shorten it). */
  aliveEveryMs?: number;
}

/** The post's durable consumer of the centre's messages to it. */
export const inboxConsumer = (post: string) => `vigie-post-${post}`;

/** Events per publish batch (whole blocks, so each block message is its row's hash as read). */
const BATCH_EVENTS = 1_000;

/** A refusal that retrying will not cure until someone acts (the name is another post's, the stream is ahead). */
class UplinkRefused extends Error {
  constructor(
    readonly code: UplinkProblemCode,
    message: string,
  ) {
    super(message);
  }
}

class PublishFailed extends Error {}

/** The server's refusal to place the stream's copies, said in the post's terms; other errors as they are. */
function placementError(error: unknown, stream: string, copies: number): Error {
  const code = (error as { code?: number }).code;
  if (code === 10074)
    return new UplinkRefused(
      'error',
      `the server is not clustered, so ${stream} cannot have ${copies} copies: set uplink replicas to 1, or point the uplink at a cluster (docs/scale.md)`,
    );
  if (code === 10005)
    return new UplinkRefused(
      'error',
      `the cluster has fewer than ${copies} JetStream servers up to hold ${stream}'s ${copies} copies (no suitable peers for placement): start them, or lower uplink replicas`,
    );
  return error instanceof Error ? error : new Error(String(error));
}

interface BlockRow {
  block: number;
  first_seq: number;
  last_seq: number;
  hash: Buffer;
  fp: number;
}

export class Uplink {
  private readonly stream: string;
  private readonly subjects: ReturnType<typeof subjects>;
  private state: UplinkView['state'] = 'connecting';
  private since: number;
  private problem: UplinkView['problem'] = null;
  private acked: number;
  private stopped = false;
  private nc: NatsConnection | undefined;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly unlisten: () => void;
  private readonly saveAcked;

  constructor(private readonly options: UplinkOptions) {
    this.stream = streamName(options.post);
    this.subjects = subjects(options.post);
    this.since = options.clock.now();
    const row = options.db.prepare('SELECT post, acked_seq FROM uplink_state WHERE id = 1').get() as { post: string; acked_seq: number } | undefined;
    this.acked = row && row.post === options.post ? row.acked_seq : 0;
    this.saveAcked = options.db.prepare(
      'INSERT INTO uplink_state (id, post, acked_seq, acked_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET post = excluded.post, acked_seq = excluded.acked_seq, acked_at = excluded.acked_at',
    );
    // A commit wakes a caught-up uplink; it never does more than that on the append path.
    this.unlisten = options.log.onAppended(() => this.poke());
  }

  start(): void {
    this.running ??= this.run().catch((error: unknown) =>
      this.options.logger.error(`uplink stopped: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unlisten();
    this.poke();
    const nc = this.nc;
    this.nc = undefined;
    await nc?.close().catch(() => undefined);
    await this.running;
  }

  status(): UplinkView {
    const lastSeq = this.options.log.status().lastSeq;
    return {
      post: this.options.post,
      server: displayServers(this.options.url),
      state: this.state,
      since: this.since,
      lastSeq,
      ackedSeq: this.acked,
      behind: Math.max(0, lastSeq - this.acked),
      problem: this.problem,
    };
  }

  private setState(state: UplinkView['state'], problem: UplinkView['problem'] = null): void {
    // "Offline since" is the first failure's time, not the latest retry's.
    if (state !== this.state) this.since = this.options.clock.now();
    if (state !== this.state || problem?.code !== this.problem?.code) {
      const what = problem ? `${state}: ${problem.code} (${problem.detail})` : state;
      if (state === 'connected') this.options.logger.info(`uplink ${this.options.post} → ${displayServers(this.options.url)}: ${what}`);
      else this.options.logger.warn(`uplink ${this.options.post} → ${displayServers(this.options.url)}: ${what}`);
    }
    this.state = state;
    this.problem = problem;
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Until poked (a commit, a reconnection, stop) or `ms` pass. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    const retryMs = this.options.retryMs ?? 2_000;
    while (!this.stopped) {
      if (!this.nc || this.nc.isClosed()) {
        try {
          this.nc = await connectNats(this.options, `vigie post ${this.options.post}`);
          this.watch(this.nc);
          this.sayAlive(this.nc);
          this.options.onConnected?.(this.nc);
        } catch (error) {
          const problem = classifyNatsError(error);
          this.setState(problem.code === 'unreachable' ? 'offline' : 'refused', problem);
          await this.pause(retryMs);
          continue;
        }
      }
      try {
        await this.session(this.nc);
      } catch (error) {
        if (this.stopped) break;
        if (error instanceof UplinkRefused) {
          this.setState('refused', { code: error.code, detail: error.message });
          await this.pause(retryMs * 15);
          continue;
        }
        const problem = error instanceof PublishFailed ? { code: 'error' as const, detail: error.message } : classifyNatsError(error);
        // A connection that dropped is "offline"; anything else was refused by a server we reached.
        this.setState(problem.code === 'unreachable' || this.nc?.isClosed() || this.disconnected ? 'offline' : 'refused', problem);
        await this.pause(retryMs);
      }
    }
  }

  private disconnected = false;
  private inboxOf: NatsConnection | undefined;
  /** Messages on this post's centre subject that were not a centre message for it: refused, never logged. */
  private centreRefused = 0;

  /** Reads the centre's messages to this post, once per connection, beside the publishing (which never waits for it). */
  private openInbox(nc: NatsConnection): void {
    if (!this.options.onCentreMessage || this.inboxOf === nc) return;
    this.inboxOf = nc;
    void this.readInbox(nc);
  }

  private async readInbox(nc: NatsConnection): Promise<void> {
    const name = inboxConsumer(this.options.post);
    while (!this.stopped && !nc.isClosed()) {
      try {
        const jsm = await jetstreamManager(nc, { timeout: 5_000 });
        await ensureCentreStream(jsm);
        try {
          await jsm.consumers.info(CENTRE_STREAM, name);
        } catch {
          await jsm.consumers.add(CENTRE_STREAM, {
            durable_name: name,
            ack_policy: AckPolicy.Explicit,
            deliver_policy: DeliverPolicy.All,
            filter_subject: centreSubject(this.options.post),
          });
        }
        const consumer = await jetstream(nc).consumers.get(CENTRE_STREAM, name);
        while (!this.stopped && !nc.isClosed()) {
          const batch = await consumer.fetch({ max_messages: 100, expires: 5_000 });
          for await (const message of batch) this.takeCentreMessage(message);
        }
      } catch (error) {
        if (this.stopped || nc.isClosed()) return;
        this.options.logger.warn(`uplink ${this.options.post}: reading the centre's messages failed (${classifyNatsError(error).detail}); trying again`);
        await new Promise((resolve) => setTimeout(resolve, this.options.retryMs ?? 2_000).unref());
      }
    }
  }

  private takeCentreMessage(message: JsMsg): void {
    try {
      const decoded = decodeCentreMessage(message.data);
      if (decoded.post !== this.options.post) throw new WireError(`addressed to ${decoded.post}, not to ${this.options.post}`);
      this.options.onCentreMessage!(decoded);
      message.ack();
    } catch (error) {
      if (error instanceof WireError) {
        // Refused for good (never redelivered), and said so; the post goes on.
        this.centreRefused += 1;
        this.options.logger.warn(
          `uplink ${this.options.post}: message ${message.seq} on ${message.subject} refused, not logged: ${error.message} (${this.centreRefused} refused so far)`,
        );
        message.term();
        return;
      }
      this.options.logger.warn(
        `uplink ${this.options.post}: the centre's message ${message.seq} could not be logged (${(error as Error).message}); it stays on the stream`,
      );
      message.nak(5_000);
    }
  }

  /** While this connection lasts, a sign of life for the centre (wire.ts aliveSubject), whether or not there is anything to publish. */
  private sayAlive(nc: NatsConnection): void {
    const subject = aliveSubject(this.options.post);
    const say = () => {
      if (nc.isClosed()) return clearInterval(timer);
      // Plain NATS, at most once: a lost one is made up by the next. While disconnected the client holds it, which is late but true.
      nc.publish(subject);
    };
    const timer = setInterval(say, this.options.aliveEveryMs ?? ALIVE_EVERY_MS);
    timer.unref();
    say();
  }

  private watch(nc: NatsConnection): void {
    this.disconnected = false;
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') {
          this.disconnected = true;
          this.setState('offline', { code: 'unreachable', detail: `disconnected from ${displayServers(this.options.url)}` });
        } else if (status.type === 'reconnect') {
          this.disconnected = false;
          this.poke();
        }
      }
    })().catch(() => undefined);
  }

  /** Checks the stream against this log, then publishes until something fails. */
  private async session(nc: NatsConnection): Promise<void> {
    const jsm = await jetstreamManager(nc, { timeout: 5_000 });
    await this.ensureStream(jsm);
    let after = await this.resumePoint(jsm);
    this.record(after);
    this.setState('connected');
    this.openInbox(nc);
    const js = jetstream(nc, { timeout: 10_000 });
    // The stream's last sequence as we go: the fast path below counts on it.
    let streamSeq = (await jsm.streams.info(this.stream)).state.last_seq;
    // The first batch of a session is published message by message with an acknowledgement each: after a failure some of it may be on
    // the stream already (JetStream then drops the repeats, which would upset the count the fast path checks).
    let careful = true;
    while (!this.stopped) {
      const batch = this.readBatch(after);
      if (batch.events.length === 0) {
        await this.pause(1_000);
        continue;
      }
      const acks: Promise<PubAck>[] = [];
      let sent = 0;
      const message = (id: string) => {
        const h = headers();
        h.set(POST_HEADER, this.options.post);
        h.set('Nats-Msg-Id', id);
        return h;
      };
      let index = 0;
      for (const block of batch.blocks) {
        for (; index < batch.events.length && batch.events[index]!.seq <= block.last_seq; index++) {
          const event = batch.events[index]!;
          const h = message(eventMessageId(this.options.post, event.seq));
          // Fast path: events go as plain publishes (the stream captures them, deduplicated by their id), and the block message after
          // them expects the stream's last sequence to be exactly ours plus everything sent since — so an event the stream did not
          // store fails that block's acknowledgement, and the session starts again from the stream's last block.
          if (careful) acks.push(js.publish(this.subjects.events, encodeEvent(event), { headers: h }));
          else nc.publish(this.subjects.events, encodeEvent(event), { headers: h });
          sent += 1;
        }
        const width = fingerprintWidth(block.fp, block.last_seq - block.first_seq + 1);
        const body = encodeBlock({
          block: block.block,
          firstSeq: block.first_seq,
          lastSeq: block.last_seq,
          hash: block.hash.toString('hex'),
          ...(width !== undefined && blockHashFormat(width) === 'whole' ? { whole: true } : {}),
        });
        const h = message(blockMessageId(this.options.post, block.block, block.last_seq));
        acks.push(js.publish(this.subjects.blocks, body, careful ? { headers: h } : { headers: h, expect: { lastSequence: streamSeq + sent } }));
        sent += 1;
      }
      // All in flight at once (one connection keeps them in order); one failure ends the session and the next resumes from the stream.
      let acked: PubAck[];
      try {
        acked = await Promise.all(acks);
      } catch (error) {
        // Not a refusal of the server's: the stream went away (deleted: it is made again next session), a message was not stored, or the link dropped.
        const reason = error instanceof Error ? error.message : String(error);
        // A stream at its cap (discard new) refuses rather than drops: the log keeps the rest until someone raises the cap.
        if (/maximum (bytes|messages) exceeded/i.test(reason))
          throw new PublishFailed(
            `${this.stream} is full (${reason}): the server refuses new messages and the post's log keeps them from seq ${after + 1} until the stream's cap is raised (uplink maxBytes; docs/scale.md)`,
          );
        throw new PublishFailed(`${this.stream} did not acknowledge the batch after seq ${after}: ${reason}`);
      }
      streamSeq = Math.max(streamSeq, ...acked.map((ack) => ack.seq));
      careful = false;
      for (const ack of acked) {
        if (ack.stream !== this.stream)
          throw new Error(`the server stored our message in stream ${ack.stream}, not ${this.stream}: another stream claims vigie.post.${this.options.post}.>`);
      }
      after = batch.blocks[batch.blocks.length - 1]!.last_seq;
      this.record(after);
      if (this.state !== 'connected') this.setState('connected');
    }
  }

  private record(seq: number): void {
    if (seq === this.acked) return;
    this.acked = seq;
    this.saveAcked.run(this.options.post, seq, this.options.clock.now());
  }

  private warnedCap: number | undefined;

  private async ensureStream(jsm: JetStreamManager): Promise<void> {
    const { replicas, maxBytes } = this.options;
    let info: StreamInfo;
    try {
      info = await jsm.streams.info(this.stream);
    } catch (error) {
      if ((error as Error).name !== 'StreamNotFoundError') throw error;
      // Discard "new": a full stream refuses what comes next (the uplink says so and the log keeps it) rather than dropping its oldest
      // messages, which would leave a gap in the centre's copy and in any restore (docs/scale.md#stream-limits-and-retention).
      const copies = replicas ?? 1;
      try {
        info = await jsm.streams.add({
          name: this.stream,
          subjects: [this.subjects.all],
          discard: DiscardPolicy.New,
          num_replicas: copies,
          ...(maxBytes !== undefined ? { max_bytes: maxBytes } : {}),
        });
      } catch (error) {
        throw placementError(error, this.stream, copies);
      }
      this.options.logger.info(`uplink: created stream ${this.stream} (${copies === 1 ? '1 copy' : `${copies} copies`})`);
      return;
    }
    // A cap below what the stream holds is not applied: the server would enforce it at once by deleting the oldest messages (whatever
    // the discard policy), cutting the post's off-site copy.
    const cap = maxBytes !== undefined && maxBytes < info.state.bytes ? undefined : maxBytes;
    if (cap !== maxBytes && this.warnedCap !== maxBytes) {
      this.warnedCap = maxBytes;
      this.options.logger.warn(
        `uplink: stream ${this.stream} already holds ${info.state.bytes} bytes, more than the cap asked for (${maxBytes}): lowering it would make the server delete the oldest messages of the post's copy, so it stays at ${info.config.max_bytes < 0 ? 'unlimited' : info.config.max_bytes}`,
      );
    }
    const change = {
      ...(replicas !== undefined && info.config.num_replicas !== replicas ? { num_replicas: replicas } : {}),
      ...(cap !== undefined && (info.config.max_bytes !== cap || info.config.discard !== DiscardPolicy.New)
        ? { max_bytes: cap, discard: DiscardPolicy.New }
        : {}),
    };
    if (Object.keys(change).length === 0) return;
    try {
      // The cluster copies the stream to new replicas (or drops some) while it stays in use: publishing need not wait.
      info = await jsm.streams.update(this.stream, change);
      this.options.logger.info(
        `uplink: stream ${this.stream} updated: ${info.config.num_replicas} cop${info.config.num_replicas === 1 ? 'y' : 'ies'}, max ${info.config.max_bytes < 0 ? 'unlimited' : `${info.config.max_bytes} bytes`}`,
      );
    } catch (error) {
      // The stream as it stands holds the log and takes it on: publishing there beats stopping (an account allowed to publish but not to
      // edit streams, or a cluster short of servers); the copies are the administrator's to put right.
      const reason = placementError(error, this.stream, change.num_replicas ?? info.config.num_replicas).message;
      this.options.logger.warn(
        `uplink: could not update stream ${this.stream} (publishing on to it as it is, ${info.config.num_replicas} cop${info.config.num_replicas === 1 ? 'y' : 'ies'}): ${reason}`,
      );
    }
  }

  /**
   * Where to go on from: the last block the stream holds, if it is this
   * log's (the same hash at the same seq); nothing held, from the start. A
   * stream holding another log under our name, or more than this log has,
   * is refused: publishing would fork the post's copy.
   */
  private async resumePoint(jsm: JetStreamManager): Promise<number> {
    const last = await jsm.streams.getMessage(this.stream, { last_by_subj: this.subjects.blocks });
    const base = readLogBase(this.options.db);
    if (!last) {
      if (this.acked > 0)
        this.options.logger.warn(
          `uplink: stream ${this.stream} holds none of this post's log (deleted or purged on the server?); publishing it again from the start`,
        );
      if (base.lastSeq > 0)
        throw new UplinkRefused('error', `events 1–${base.lastSeq} were archived before the stream held them; they cannot be published from the live log`);
      return 0;
    }
    let block;
    try {
      block = decodeBlock(last.data);
    } catch (error) {
      if (error instanceof WireError) throw new UplinkRefused('name-claimed', `the last block message on ${this.stream} is not Vigie's (${error.message})`);
      throw error;
    }
    const ourLast = this.options.log.status().lastSeq;
    if (block.lastSeq > ourLast)
      throw new UplinkRefused(
        'stream-ahead',
        `${this.stream} holds post ${this.options.post}'s log up to seq ${block.lastSeq}, past this log's end (${ourLast}): another post uses this name, or this log was replaced or restored from an older copy (vigie restore rebuilds it from the stream)`,
      );
    const ours = chainHeadAt(this.options.db, block.lastSeq);
    if (!ours || ours.block !== block.block || ours.hash !== block.hash)
      throw new UplinkRefused(
        'name-claimed',
        `${this.stream} holds another log under the name ${this.options.post}: at seq ${block.lastSeq} its block ${block.block} hash is ${block.hash.slice(0, 16)}…, this log's ${ours ? `block ${ours.block} is ${ours.hash.slice(0, 16)}…` : 'cannot be checked there'}`,
      );
    return block.lastSeq;
  }

  /** Whole blocks after `after` (the first may be a block's tail), about BATCH_EVENTS events; read in one synchronous go, so rows and blocks agree. */
  private readBatch(after: number): { events: StoredEvent[]; blocks: BlockRow[] } {
    const { db } = this.options;
    const candidates = db
      .prepare('SELECT block, first_seq, last_seq, hash, length(fingerprints) AS fp FROM log_blocks WHERE last_seq > ? ORDER BY block LIMIT 64')
      .all(after) as BlockRow[];
    const blocks: BlockRow[] = [];
    let count = 0;
    for (const block of candidates) {
      if (blocks.length > 0 && count + (block.last_seq - block.first_seq + 1) > BATCH_EVENTS) break;
      blocks.push(block);
      count += block.last_seq - Math.max(block.first_seq, after + 1) + 1;
    }
    if (blocks.length === 0) return { events: [], blocks };
    const through = blocks[blocks.length - 1]!.last_seq;
    const events: StoredEvent[] = [];
    for (const event of iterateStoredRows(db, { afterSeq: after })) {
      if (event.seq > through) break;
      events.push(event);
    }
    return { events, blocks };
  }
}
