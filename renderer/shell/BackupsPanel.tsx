// The site's scheduled backups, for supervisors (issue 18): each folder, its
// schedule, the last success (how far the copy goes, its head hash) and the
// last error, so a backup disk that filled up or went missing is seen the
// same night. Asked of the core every 15 s while a supervisor is signed in.
import { useEffect, useState } from 'react';
import type { BackupJobView } from '../../shared/contract';
import { callCore } from '../core/activeClient';
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';

const REFRESH_MS = 15_000;

export function BackupsPanel() {
  const t = useT();
  const supervisor = useConsole((state) => state.session?.role === 'supervisor');
  const [backups, setBackups] = useState<BackupJobView[] | null>(null);

  useEffect(() => {
    if (!supervisor) return;
    let live = true;
    const refresh = () =>
      callCore('backups.status', {}).then(
        (result) => live && setBackups(result.backups),
        () => undefined,
      );
    void refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [supervisor]);

  if (!supervisor || backups === null) return null;
  return (
    <section className="panel-section" aria-label={t('backups.title')} data-testid="backups-panel">
      <h2>{t('backups.title')}</h2>
      {backups.length === 0 ? <p className="muted">{t('backups.none')}</p> : null}
      <ul className="backups-list">
        {backups.map((job) => {
          const failedLast = job.lastError !== null && (job.lastSuccess === null || job.lastError.at > job.lastSuccess.at);
          return (
            <li key={job.to} data-backup={job.to} data-state={job.running ? 'running' : failedLast ? 'failed' : job.lastSuccess ? 'ok' : 'never'}>
              <div className="feed-source">
                {job.to} <span className="muted">· {job.schedule}</span>
              </div>
              <div className={failedLast ? 'backup-failed' : 'muted'}>
                {job.running
                  ? t('backups.running')
                  : job.lastSuccess
                    ? t('backups.lastSuccess', { time: t.dateTime(job.lastSuccess.at), seq: t.number(job.lastSuccess.lastSeq) })
                    : t('backups.never')}
              </div>
              {job.lastError ? (
                <div className={failedLast ? 'backup-failed' : 'muted'} role={failedLast ? 'alert' : undefined} title={job.lastError.message}>
                  {t('backups.lastError', { time: t.dateTime(job.lastError.at), error: job.lastError.message })}
                </div>
              ) : null}
              <div className="muted">{t('backups.next', { time: t.dateTime(job.nextAt) })}</div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
