// `npm run bench`: measures the budgets of docs/architecture.md that exist so
// far and prints one JSON document on stdout. VIGIE_BENCH=ceiling,log,shift,replay,feeds,fusion,console,maps,room,federation picks
// parts (and `memory`, an hour of the console bench's post, and `scale`, four demo posts and a centre on one nats-server, only when asked for); VIGIE_BENCH_FEED_MESSAGES, VIGIE_BENCH_EVENTS, VIGIE_BENCH_SHIFT_EVENTS,
// VIGIE_BENCH_SHIFT_UNIT_SECONDS, VIGIE_BENCH_CEILING_ROWS and VIGIE_BENCH_CEILING_REPETITIONS
// change the sizes; VIGIE_BENCH_FEED_PROTOCOLS=tak-xml,tak-proto,… picks the feeds. The ceiling (bench/ceiling.ts) is measured just before the feeds whenever
// they run, asked for or not, so every feed result carries its ratio to it. The console bench's post (benchPost.ts):
// VIGIE_BENCH_CORE_PROFILE=DIR runs its core under --cpu-prof, VIGIE_BENCH_CORE_ROOT=CHECKOUT runs another checkout's built core.
import os from 'node:os';
import { benchCeiling, machine, ratioToCeiling, type CeilingResult } from './ceiling';
import { benchConsole } from './console';
import { benchMemory } from './memory';
import { benchEventLog } from './eventLog';
import { benchFeed, FEED_PROTOCOLS, type FeedBenchProtocol, type FeedBenchResult } from './feeds';
import { benchFusion } from './fusion';
import { benchMaps } from './maps';
import { benchShiftLog, SHIFT_EVENTS, UNIT_PERIOD_SECONDS } from './shiftLog';
import { benchReplay } from './replay';
import { benchRoom } from './room';
import { benchFederation } from './federation';
import { benchScale } from './scale';

const POSITION_EVENTS = Number(process.env.VIGIE_BENCH_EVENTS ?? 500_000);
/** Messages per protocol in the feed benchmark (the budget asks for at least a million). */
const FEED_MESSAGES = Number(process.env.VIGIE_BENCH_FEED_MESSAGES ?? 1_000_000);
/** Offered rate for the latency runs: half the ingest budget, a busy post's peak. */
const PACED_RATE = Number(process.env.VIGIE_BENCH_PACED_RATE ?? 10_000);
/** Feed protocols to bench (VIGIE_BENCH_FEED_PROTOCOLS=tak-xml,tak-proto,cot…); all by default. */
const FEED_PROTOCOL_LIST = (process.env.VIGIE_BENCH_FEED_PROTOCOLS ?? FEED_PROTOCOLS.join(',')).split(',').map((name) => {
  if (!(FEED_PROTOCOLS as readonly string[]).includes(name))
    throw new Error(`VIGIE_BENCH_FEED_PROTOCOLS: no feed protocol ${name} (${FEED_PROTOCOLS.join(', ')})`);
  return name as FeedBenchProtocol;
});
const PARTS = new Set((process.env.VIGIE_BENCH ?? 'ceiling,log,shift,replay,feeds,fusion,console,maps,room,federation').split(','));
/** Rows per repetition of the ceiling, and how many repetitions (the best is kept). */
const CEILING_ROWS = Number(process.env.VIGIE_BENCH_CEILING_ROWS ?? 200_000);
const CEILING_REPETITIONS = Number(process.env.VIGIE_BENCH_CEILING_REPETITIONS ?? 7);
/** Events in the generated shift (fewer: a shorter shift of the same density, for quick runs). */
const SHIFT_SIZE = Number(process.env.VIGIE_BENCH_SHIFT_EVENTS ?? SHIFT_EVENTS);
/** How often each unit of the shift reports, s (each report is its own block). */
const SHIFT_UNIT_SECONDS = Number(process.env.VIGIE_BENCH_SHIFT_UNIT_SECONDS ?? UNIT_PERIOD_SECONDS);

async function main(): Promise<void> {
  const result: Record<string, unknown> = {
    machine: { ...machine(), node: process.version, platform: `${os.platform()} ${os.arch()}` },
  };
  if (PARTS.has('log')) result.eventLog = benchEventLog(POSITION_EVENTS);
  if (PARTS.has('shift')) {
    process.stderr.write(`bench: a generated 12-hour shift, ${SHIFT_SIZE.toLocaleString('en-GB')} events, through the event log…\n`);
    result.shiftLog = benchShiftLog(SHIFT_SIZE, SHIFT_UNIT_SECONDS);
  }
  if (PARTS.has('replay')) {
    process.stderr.write(`bench: replay of a generated 12-hour shift, ${SHIFT_SIZE.toLocaleString('en-GB')} events: seek and play at 60×…\n`);
    result.replay = await benchReplay(SHIFT_SIZE);
  }
  let ceiling: CeilingResult | undefined;
  if (PARTS.has('ceiling') || PARTS.has('feeds')) {
    process.stderr.write(`bench: ceiling, ${CEILING_REPETITIONS} × ${CEILING_ROWS.toLocaleString('en-GB')} hashed position-sized rows in blocks of 1,000…\n`);
    ceiling = benchCeiling({ rows: CEILING_ROWS, repetitions: CEILING_REPETITIONS });
    result.ceiling = ceiling;
  }
  if (PARTS.has('feeds') && ceiling) {
    const throughput: (FeedBenchResult & { ratioToCeiling: number })[] = [];
    const latency: (FeedBenchResult & { ratioToCeiling: number })[] = [];
    const withRatio = (feed: FeedBenchResult) => ({ ...feed, ratioToCeiling: ratioToCeiling(feed.perSecond, ceiling) });
    for (const protocol of FEED_PROTOCOL_LIST) {
      process.stderr.write(`bench: ${protocol} feed, ${FEED_MESSAGES.toLocaleString('en-GB')} messages flat out…\n`);
      throughput.push(withRatio(await benchFeed(protocol, FEED_MESSAGES)));
      process.stderr.write(`bench: ${protocol} feed, paced at ${PACED_RATE.toLocaleString('en-GB')} msg/s…\n`);
      latency.push(withRatio(await benchFeed(protocol, PACED_RATE * 15, PACED_RATE)));
    }
    result.feeds = {
      note:
        'throughput: one TCP source sending as fast as flow control allows (latency there is mostly queueing); latency: the same pipeline with the sender paced. ' +
        'ratioToCeiling: messages/s ÷ the ceiling’s rows/s, measured just before (see ceiling)',
      throughput,
      latency,
    };
  }
  if (PARTS.has('fusion')) {
    process.stderr.write('bench: fusion, 2,000 radar tracks and 2,000 AIS ships…\n');
    result.fusion = benchFusion();
  }
  if (PARTS.has('console')) {
    process.stderr.write(`bench: console in Chromium under ${process.env.VIGIE_BENCH_TRACKS ?? '10,000'} tracks at 1 Hz…\n`);
    result.console = await benchConsole();
  }
  // Opt-in (an hour by default): VIGIE_BENCH=memory, with VIGIE_BENCH_MEMORY_MINUTES and VIGIE_BENCH_TRACKS.
  if (PARTS.has('memory')) {
    process.stderr.write(`bench: memory of the core and the page over ${process.env.VIGIE_BENCH_MEMORY_MINUTES ?? 60} minutes…\n`);
    result.memory = await benchMemory();
  }
  if (PARTS.has('room')) {
    process.stderr.write(`bench: the control room, five seats over TLS under 2,000 tracks at 1 Hz…\n`);
    result.room = await benchRoom();
  }
  if (PARTS.has('federation')) {
    process.stderr.write('bench: federation — ingest with and without the uplink, catch-up to the stream and to a centre mirror…\n');
    result.federation = await benchFederation(Number(process.env.VIGIE_BENCH_FEDERATION_MESSAGES ?? 500_000));
  }
  // Opt-in (VIGIE_BENCH=scale; VIGIE_BENCH_SCALE_SECONDS, 60 by default): four demo posts uplinking to one nats-server with a centre (docs/scale.md).
  if (PARTS.has('scale')) {
    process.stderr.write('bench: scale — four demo posts uplinking to one nats-server, a centre following, then a fresh centre catching up…\n');
    result.scale = await benchScale();
  }
  if (PARTS.has('maps')) {
    process.stderr.write('bench: map tiles from a 1 GB MBTiles under 200 concurrent requests…\n');
    result.maps = await benchMaps();
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
