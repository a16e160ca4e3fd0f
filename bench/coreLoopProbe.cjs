// Preloaded into the bench's core (`node --require`): its event-loop delay,
// one line a second to VIGIE_BENCH_CORE_LOOP_FILE — { t, max, p99, p50 } in
// ms over that second (perf_hooks monitorEventLoopDelay, 10 ms resolution).
// The bench keeps the seconds of its alert window (benchPost.ts).
const fs = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const file = process.env.VIGIE_BENCH_CORE_LOOP_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const ms = (ns) => Math.round(ns / 1e5) / 10;
  setInterval(() => {
    const line = { t: Date.now(), max: ms(histogram.max), p99: ms(histogram.percentile(99)), p50: ms(histogram.percentile(50)) };
    histogram.reset();
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 1000).unref();
}
