// Keeping the log (issue 18): the scheduled backups' state for supervisors.
import type { BackupJobView } from '../../../../shared/contract';
import type { HandlersOf } from './common';

export function createKeepingHandlers({ backups }: { backups: () => BackupJobView[] }): HandlersOf<'backups.'> {
  return {
    'backups.status': () => ({ backups: backups() }),
  };
}
