// Figures across posts: the figures module (docs/figures.md) run on each
// post's mirror over the same range, side by side, with the counts summed.
// Medians are per post only: they do not add up.
import { useState } from 'react';
import type { CentreFigures, DurationFigures } from '../../shared/contract';
import { fetchFigures } from './centreApi';
import type { CentreT } from './messages';

const RANGES = [
  { key: 'figures.last24h', ms: 24 * 3600_000 },
  { key: 'figures.last7d', ms: 7 * 24 * 3600_000 },
] as const;

const minutes = (d: DurationFigures) => (d.medianMs === null ? '—' : `${(d.medianMs / 60_000).toFixed(1)} min`);

export function CentreFiguresPanel({ token, t }: { token: string; t: CentreT }) {
  const [figures, setFigures] = useState<CentreFigures | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const compute = (ms: number) => {
    const to = Date.now();
    fetchFigures(token, to - ms, to).then(
      (answer) => {
        setFigures(answer);
        setProblem(null);
      },
      (error: Error) => setProblem(error.message),
    );
  };
  const rows: { label: string; value(f: CentreFigures['posts'][number]['figures']): string; total?(f: CentreFigures): string }[] = [
    { label: t('figures.alerts'), value: (f) => String(f.alerts.total), total: (all) => String(all.total.alerts) },
    { label: t('figures.opened'), value: (f) => String(f.incidents.opened), total: (all) => String(all.total.incidentsOpened) },
    { label: t('figures.closed'), value: (f) => String(f.incidents.closed), total: (all) => String(all.total.incidentsClosed) },
    { label: t('figures.stillOpen'), value: (f) => String(f.incidents.stillOpen), total: (all) => String(all.total.stillOpen) },
    { label: t('figures.intercepted'), value: (f) => String(f.incidents.interceptedOrPrevented), total: (all) => String(all.total.interceptedOrPrevented) },
    { label: t('figures.acknowledge'), value: (f) => minutes(f.times.acknowledge) },
    { label: t('figures.arrive'), value: (f) => minutes(f.times.arrive) },
  ];
  return (
    <section className="centre-figures" aria-labelledby="centre-figures-title">
      <h2 id="centre-figures-title">{t('figures.title')}</h2>
      <div className="centre-figures-ranges">
        {RANGES.map((range) => (
          <button key={range.key} type="button" onClick={() => compute(range.ms)}>
            {t(range.key)}
          </button>
        ))}
      </div>
      {problem && <p className="bad">{problem}</p>}
      {figures && (
        <table className="centre-figures-table">
          <thead>
            <tr>
              <th scope="col" />
              {figures.posts.map((p) => (
                <th key={p.post} scope="col">
                  {p.post}
                </th>
              ))}
              <th scope="col">{t('figures.total')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                {figures.posts.map((p) => (
                  <td key={p.post} data-post={p.post}>
                    {row.value(p.figures)}
                  </td>
                ))}
                <td data-post="total">{row.total ? row.total(figures) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
