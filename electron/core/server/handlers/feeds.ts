// Feeds: where the listeners are, the counters per source, whether the log
// can be written, and the quarantine.
import type { FeedListenerView, StorageStatus } from '../../../../shared/contract';
import type { FeedStats } from '../../feeds/feedStats';
import type { Quarantine } from '../../feeds/quarantine';
import type { HandlersOf } from './common';

export interface FeedContext {
  listeners: () => FeedListenerView[];
  stats: FeedStats;
  quarantine: Quarantine;
  /** Whether the log can be written (disk full: docs/faults.md). */
  storage: () => StorageStatus;
}

export function createFeedHandlers({ listeners, stats, quarantine, storage }: FeedContext): HandlersOf<'feeds.' | 'quarantine.'> {
  return {
    'feeds.status': () => ({ listeners: listeners(), sources: stats.list(), quarantined: quarantine.count, storage: storage() }),
    'feeds.listeners': () => ({ listeners: listeners() }),
    'quarantine.list': ({ limit, source, reason }) => ({ entries: quarantine.list(limit, { source, reason }) }),
  };
}
