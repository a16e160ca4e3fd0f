// Keeping the log (issue 18): the scheduled backups' and the retention
// policy's state for supervisors, the post's archive files (opened read-only
// for replay and figures), and who the post is to a reader of its evidence
// (its key's fingerprint).
import type { BackupJobView, RetentionView } from '../../../../shared/contract';
import type { ArchiveShelf } from '../../archive/archiveShelf';
import type { PostKey } from '../../keys/postKey';
import type { HandlersOf } from './common';

export function createKeepingHandlers({
  backups,
  retention,
  shelf,
  postKey,
  postName,
}: {
  backups: () => BackupJobView[];
  retention: () => RetentionView | null;
  shelf: ArchiveShelf;
  postKey: PostKey;
  postName: string;
}): HandlersOf<'backups.' | 'archives.' | 'post.'> {
  return {
    'backups.status': () => ({ backups: backups(), retention: retention() }),
    'archives.list': () => ({ folder: retention()?.folder ?? null, archives: shelf.list() }),
    'archives.open': async ({ archive }) => ({ archive, ...(await shelf.describe(archive)) }),
    'post.identity': () => ({ post: postName, fingerprint: postKey.fingerprint }),
  };
}
