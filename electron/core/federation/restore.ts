// `vigie restore` (issue 16 item 5): a lost post's data directory rebuilt from
// its stream. Every message is checked as the centre checks it (mirror.ts),
// the whole chain is walked again once written, and only then is the
// picture projected from it and the database moved into place: a stream that
// does not check out leaves nothing behind but the reason. What cannot come
// back from the stream — accounts, the signing key — is said so.
import fs from 'node:fs';
import path from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { DATABASE_FILE, databasePath, openDatabase } from '../db/database';
import { verifyChain } from '../log/verify';
import { createProjections, projectAll } from '../picture/projections';
import { MirrorLog, MirrorProblem } from './mirror';
import { connectNats, type NatsTarget } from './natsLink';
import { POST_HEADER, WireError, decodeBlock, decodeEvent, messageKind, streamName } from './wire';

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

export interface RestoreReport {
  events: number;
  blocks: number;
  headHash: string;
  /** Events on the stream after its last block message (their block never arrived): not restored. */
  unconfirmed: number;
  foreign: number;
  ms: number;
}

export async function restorePost(target: NatsTarget & { post: string; dataDir: string; progress?: (line: string) => void }): Promise<RestoreReport> {
  const started = Date.now();
  if (fs.existsSync(databasePath(target.dataDir)))
    throw new RestoreError(`${target.dataDir} already holds a Vigie database; restore into an empty folder (nothing was changed)`);
  const staging = path.join(target.dataDir, `.restoring-${process.pid}`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const nc = await connectNats(target, `vigie restore ${target.post}`);
  let db = openDatabase(staging);
  try {
    const jsm = await jetstreamManager(nc, { timeout: 10_000 });
    const stream = streamName(target.post);
    let info;
    try {
      info = await jsm.streams.info(stream);
    } catch (error) {
      if ((error as Error).name === 'StreamNotFoundError')
        throw new RestoreError(`the server holds no stream ${stream}: post ${target.post} never published there, or its stream was deleted`);
      throw error;
    }
    const lastStreamSeq = info.state.last_seq;
    if (info.state.messages === 0) throw new RestoreError(`stream ${stream} is empty`);
    const mirror = new MirrorLog(db);
    // An ordered consumer: read once, in order, nothing left behind on the server.
    const consumer = await jetstream(nc).consumers.get(stream);
    let foreign = 0;
    let read = 0;
    for (let seen = 0; seen < lastStreamSeq;) {
      const batch = await consumer.fetch({ max_messages: 5_000, expires: 2_000 });
      let got = 0;
      for await (const message of batch) {
        got += 1;
        seen = message.seq;
        read += 1;
        const kind = messageKind(target.post, message.subject);
        try {
          if (!kind || message.headers?.get(POST_HEADER) !== target.post) throw new WireError(`not a Vigie message (subject ${message.subject})`);
          if (kind === 'event') mirror.receiveEvent(decodeEvent(message.data));
          else mirror.receiveBlock(decodeBlock(message.data));
        } catch (error) {
          if (error instanceof WireError) {
            foreign += 1;
            continue;
          }
          if (error instanceof MirrorProblem)
            throw new RestoreError(`the stream does not check out: ${error.kind} at seq ${error.seq}: ${error.message} (nothing was restored)`);
          throw error;
        }
        if (read % 50_000 === 0) target.progress?.(`read ${read} messages of ${lastStreamSeq}`);
        if (seen >= lastStreamSeq) break;
      }
      if (got === 0) throw new RestoreError(`the stream stopped delivering at message ${seen} of ${lastStreamSeq}`);
    }
    const head = mirror.head();
    if (head.lastSeq === 0) throw new RestoreError(`stream ${stream} holds no complete block of post ${target.post}'s log`);
    // Walked again from the disk, as vigie verify would, before anything is built on it.
    const check = verifyChain(db);
    if (!check.ok) throw new RestoreError(`the restored log does not verify: at seq ${check.firstBadSeq}: ${check.reason}`);
    target.progress?.(`log verified: ${check.events} events in ${check.blocks} blocks; projecting the picture`);
    projectAll(db, createProjections(db).projectors);
    // The post resumes publishing where the stream is; its uplink checks that against this log anyway.
    db.prepare('INSERT INTO uplink_state (id, post, acked_seq, acked_at) VALUES (1, ?, ?, ?)').run(target.post, head.lastSeq, Date.now());
    db.close();
    fs.renameSync(path.join(staging, DATABASE_FILE), databasePath(target.dataDir));
    fs.rmSync(staging, { recursive: true, force: true });
    return { events: check.events, blocks: check.blocks, headHash: check.headHash, unconfirmed: head.pending, foreign, ms: Date.now() - started };
  } catch (error) {
    if (db.open) db.close();
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    await nc.close().catch(() => undefined);
    db = undefined as never;
  }
}
