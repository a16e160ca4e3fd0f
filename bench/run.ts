// `npm run bench`: measures the budgets of docs/architecture.md that exist so
// far and prints one JSON document on stdout. VIGIE_BENCH=log,feeds picks
// parts; VIGIE_BENCH_FEED_MESSAGES and VIGIE_BENCH_EVENTS change the sizes.
import os from 'node:os';
import { benchEventLog } from './eventLog';
import { benchFeed, type FeedBenchResult } from './feeds';

const POSITION_EVENTS = Number(process.env.VIGIE_BENCH_EVENTS ?? 500_000);
/** Messages per protocol in the feed benchmark (the budget asks for at least a million). */
const FEED_MESSAGES = Number(process.env.VIGIE_BENCH_FEED_MESSAGES ?? 1_000_000);
const PARTS = new Set((process.env.VIGIE_BENCH ?? 'log,feeds').split(','));

async function main(): Promise<void> {
  const result: Record<string, unknown> = {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.arch()}`, loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100) },
  };
  if (PARTS.has('log')) result.eventLog = benchEventLog(POSITION_EVENTS);
  if (PARTS.has('feeds')) {
    const feeds: FeedBenchResult[] = [];
    for (const protocol of ['json', 'nmea', 'cot'] as const) {
      process.stderr.write(`bench: ${protocol} feed, ${FEED_MESSAGES.toLocaleString('en-GB')} messages…\n`);
      feeds.push(await benchFeed(protocol, FEED_MESSAGES));
    }
    result.feeds = feeds;
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
