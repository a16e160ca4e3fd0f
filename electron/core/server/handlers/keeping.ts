// Keeping the log (issue 18): the scheduled backups' state for supervisors,
// and who the post is to a reader of its evidence (its key's fingerprint).
import type { BackupJobView } from '../../../../shared/contract';
import type { PostKey } from '../../keys/postKey';
import type { HandlersOf } from './common';

export function createKeepingHandlers({
  backups,
  postKey,
  postName,
}: {
  backups: () => BackupJobView[];
  postKey: PostKey;
  postName: string;
}): HandlersOf<'backups.' | 'post.'> {
  return {
    'backups.status': () => ({ backups: backups() }),
    'post.identity': () => ({ post: postName, fingerprint: postKey.fingerprint }),
  };
}
