// The site's scheduled backups, for supervisors (issue 18): each folder, its
// schedule, the last success (how far the copy goes, its head hash) and the
// last error, so a backup disk that filled up or went missing is seen the
// same night. Beside them, the retention policy (docs/archive.md): what it
// keeps live, the last archive it made and the space given back, the next
// check, or why it last failed. Asked of the core every 15 s while a
// supervisor is signed in.
import { useEffect, useState } from 'react';
import type { BackupJobView, RetentionView } from '../../shared/contract';
import type { Translator } from '../i18n/translate';
import { callCore } from '../core/activeClient';
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';

const REFRESH_MS = 15_000;

export function BackupsPanel() {
  const t = useT();
  const supervisor = useConsole((state) => state.session?.role === 'supervisor');
  const [backups, setBackups] = useState<BackupJobView[] | null>(null);
  const [retention, setRetention] = useState<RetentionView | null>(null);

  useEffect(() => {
    if (!supervisor) return;
    let live = true;
    const refresh = () =>
      callCore('backups.status', {}).then(
        (result) => {
          if (!live) return;
          setBackups(result.backups);
          setRetention(result.retention ?? null);
        },
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
      {retention ? <RetentionState retention={retention} /> : null}
    </section>
  );
}

const megabytes = (t: Translator, bytes: number) => t('retention.megabytes', { mb: t.number(Math.round(bytes / 100_000) / 10) });

/** The retention policy's state: a failure newer than the last archive is said in red. */
function RetentionState({ retention }: { retention: RetentionView }) {
  const t = useT();
  const { lastArchive, lastFailure, lastWait, liveStartsAfter } = retention;
  const failedLast = lastFailure !== null && (lastArchive === null || lastFailure.at > lastArchive.at);
  return (
    <div data-testid="retention-state" data-state={retention.running ? 'running' : failedLast ? 'failed' : lastArchive ? 'ok' : 'never'}>
      <h3>{t('retention.title')}</h3>
      <div className="muted">{t('retention.policy', { count: retention.archiveAfterDays, folder: retention.folder })}</div>
      <div className={failedLast ? 'backup-failed' : 'muted'} data-testid="retention-last">
        {retention.running
          ? t('retention.running')
          : lastArchive
            ? t('retention.lastArchive', {
                time: t.dateTime(lastArchive.at),
                file: lastArchive.file,
                events: t.number(lastArchive.events),
                freed: megabytes(t, lastArchive.bytesGivenBack),
              })
            : t('retention.noArchive')}
      </div>
      {liveStartsAfter ? (
        <div className="muted" data-testid="retention-live-start">
          {t('retention.liveStartsAfter', { archive: liveStartsAfter.archive, seq: t.number(liveStartsAfter.lastSeq + 1) })}
        </div>
      ) : null}
      {lastFailure ? (
        <div className={failedLast ? 'backup-failed' : 'muted'} role={failedLast ? 'alert' : undefined} title={lastFailure.message}>
          {t('retention.lastFailure', { time: t.dateTime(lastFailure.at), error: lastFailure.message })}
        </div>
      ) : null}
      {lastWait && (lastArchive === null || lastWait.at > lastArchive.at) ? (
        <div className="muted">{t('retention.lastWait', { time: t.dateTime(lastWait.at), reason: lastWait.message })}</div>
      ) : null}
      <div className="muted">{t('retention.next', { time: t.dateTime(retention.nextCheckAt) })}</div>
    </div>
  );
}
