// Feed health per source: accepted, rejected by reason (all quarantined),
// throttled. A source that suddenly rejects or floods shows here first.
import { useConsole } from '../state/store';

export function FeedsPanel() {
  const feeds = useConsole((state) => state.feeds);
  if (!feeds) return null;
  const sources = [...feeds.sources].sort((a, b) => a.source.localeCompare(b.source));
  return (
    <section className="panel-section" aria-label="Feeds">
      <h2>
        Feeds <span className="muted">· {feeds.quarantined.toLocaleString('en-GB')} quarantined</span>
      </h2>
      <table className="feeds-table" data-testid="feeds-table">
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">OK</th>
            <th scope="col">Rejected</th>
            <th scope="col">Held</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((source) => {
            const rejected = Object.entries(source.rejected);
            return (
              <tr key={source.source} data-source={source.source}>
                <td className="feed-source">{source.source}</td>
                <td>{source.accepted.toLocaleString('en-GB')}</td>
                <td title={rejected.map(([reason, n]) => `${reason}: ${n}`).join('\n')}>
                  {rejected.length === 0 ? '0' : rejected.map(([reason, n]) => <div key={reason} data-reason={reason}>{`${reason} ${n}`}</div>)}
                </td>
                <td>{source.throttled.toLocaleString('en-GB')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
