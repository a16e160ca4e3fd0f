// CPU time per message of one feed bench run: what the core's process (its main
// thread and threads, not the sender) spends, after a warm-up run. On a shared
// machine the messages/s of bench/run.ts move with everyone else's load; CPU
// per message moves much less, so two checkouts can be compared back to back:
//   npx tsx bench/feedCpu.ts json 300000             (this checkout)
//   npx tsx bench/feedCpu.ts json 300000 /work/main  (another checkout's pipeline, run from its own directory)
import path from 'node:path';
import type * as Feeds from './feeds';
import type { FeedBenchProtocol } from './feeds';

const protocol = (process.argv[2] ?? 'json') as FeedBenchProtocol;
const messages = Number(process.argv[3] ?? 300_000);
const tree = process.argv[4];

async function main(): Promise<void> {
  const { benchFeed } = (await import(tree ? path.resolve(tree, 'bench', 'feeds.ts') : './feeds')) as typeof Feeds;
  await benchFeed(protocol, 100_000);
  const before = process.cpuUsage();
  const result = await benchFeed(protocol, messages);
  const used = process.cpuUsage(before);
  const cpuUsPerMessage = Math.round(((used.user + used.system) / messages) * 100) / 100;
  process.stdout.write(`${JSON.stringify({ protocol, messages, perSecond: result.perSecond, lost: result.lost, blocks: result.blocks, cpuUsPerMessage })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`feedCpu: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
