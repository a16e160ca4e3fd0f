// One feed bench run, for a CPU profile of the core (which runs in this process):
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profileFeed.ts json 300000
// writes one .cpuprofile per thread (the main thread's is the largest; the parse worker's is next).
// VIGIE_BENCH_PARSE_WORKER=1 parses TCP frames in the parse worker thread (off by default). docs/performance.md has what it showed.
import { benchFeed, FEED_PROTOCOLS, type FeedBenchProtocol } from './feeds';

const protocol = (process.argv[2] ?? 'json') as FeedBenchProtocol;
if (!(FEED_PROTOCOLS as readonly string[]).includes(protocol)) throw new Error(`no feed protocol ${protocol} (${FEED_PROTOCOLS.join(', ')})`);
const messages = Number(process.argv[3] ?? 300_000);
benchFeed(protocol, messages).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stderr.write(`profileFeed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
