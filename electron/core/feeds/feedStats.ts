// Counters per feed source and reason, shown in the console and logged as
// throttle events; bounded so a port scan cannot grow them without limit.
import type { FeedSourceStats } from '../../../shared/contract';
import type { FeedProtocol } from '../../../shared/domain';

const MAX_SOURCES = 2_000;

export class FeedStats {
  private readonly sources = new Map<string, FeedSourceStats & { throttledSinceReport: number }>();

  private entry(source: string, protocol: FeedProtocol) {
    let entry = this.sources.get(source);
    if (!entry) {
      // Full: forget the source heard of first (Map keeps insertion order), in constant time.
      if (this.sources.size >= MAX_SOURCES) this.sources.delete(this.sources.keys().next().value!);
      entry = { source, protocol, accepted: 0, rejected: {}, throttled: 0, throttledSinceReport: 0 };
      this.sources.set(source, entry);
    }
    return entry;
  }

  accepted(source: string, protocol: FeedProtocol, count = 1): void {
    this.entry(source, protocol).accepted += count;
  }

  rejected(source: string, protocol: FeedProtocol, reason: string): void {
    const entry = this.entry(source, protocol);
    entry.rejected[reason] = (entry.rejected[reason] ?? 0) + 1;
  }

  throttled(source: string, protocol: FeedProtocol): void {
    const entry = this.entry(source, protocol);
    entry.throttled += 1;
    entry.throttledSinceReport += 1;
  }

  /** Throttle counts since the last call, per source (for the periodic log event). */
  takeThrottleReport(): { source: string; count: number }[] {
    const report: { source: string; count: number }[] = [];
    for (const entry of this.sources.values()) {
      if (entry.throttledSinceReport > 0) report.push({ source: entry.source, count: entry.throttledSinceReport });
      entry.throttledSinceReport = 0;
    }
    return report;
  }

  list(): FeedSourceStats[] {
    return [...this.sources.values()].map(({ throttledSinceReport: _unused, ...stats }) => ({ ...stats, rejected: { ...stats.rejected } }));
  }
}
