// Feed health per source: accepted, rejected by reason (all quarantined),
// throttled. A source that suddenly rejects or floods shows here first.
// Sources and reasons are the core's identifiers (as in the quarantine and
// docs/feeds.md), so they are shown as they are, in both languages.
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';

export function FeedsPanel() {
  const t = useT();
  const feeds = useConsole((state) => state.feeds);
  if (!feeds) return null;
  const sources = [...feeds.sources].sort((a, b) => a.source.localeCompare(b.source));
  return (
    <section className="panel-section" aria-label={t('feeds.title')}>
      <h2>
        {t('feeds.title')} <span className="muted">· {t('feeds.quarantined', { count: feeds.quarantined })}</span>
      </h2>
      <table className="feeds-table" data-testid="feeds-table">
        <thead>
          <tr>
            <th scope="col">{t('feeds.source')}</th>
            <th scope="col" title={t('feeds.acceptedTitle')}>
              {t('feeds.accepted')}
            </th>
            <th scope="col" title={t('feeds.rejectedTitle')}>
              {t('feeds.rejected')}
            </th>
            <th scope="col" title={t('feeds.heldTitle')}>
              {t('feeds.held')}
            </th>
          </tr>
        </thead>
        <tbody>
          {sources.map((source) => {
            const rejected = Object.entries(source.rejected);
            return (
              <tr key={source.source} data-source={source.source}>
                <td className="feed-source">{source.source}</td>
                <td>{t.number(source.accepted)}</td>
                <td title={rejected.map(([reason, n]) => `${reason}: ${t.number(n)}`).join('\n')}>
                  {rejected.length === 0
                    ? t.number(0)
                    : rejected.map(([reason, n]) => <div key={reason} data-reason={reason}>{`${reason} ${t.number(n)}`}</div>)}
                </td>
                <td>{t.number(source.throttled)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
