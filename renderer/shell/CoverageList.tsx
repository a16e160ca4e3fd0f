// High-risk sectors no available unit can reach within the site's coverage
// time (the core's coverage.get, asked every 10 s by main.tsx); the map draws
// them with a dashed red outline.
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';

export function CoverageList() {
  const t = useT();
  const gaps = useConsole((state) => state.coverageGaps);
  const threshold = useConsole((state) => state.coverageThreshold);
  const sectors = useConsole((state) => state.live.sectors);
  return (
    <section className="panel-section" aria-label={t('coverage.title')} data-testid="coverage">
      <h2>
        {t('coverage.title')} <span className="muted">({t.number(gaps.length)})</span>
      </h2>
      {gaps.length === 0 ? <p className="coverage-ok muted">{t('coverage.none', { min: Math.round(threshold / 60) })}</p> : null}
      {/* Scrolls when many sectors are uncovered: a keyboard stop, so it can be scrolled without a mouse. */}
      <ul className="coverage-gaps" tabIndex={gaps.length > 0 ? 0 : undefined} aria-label={t('coverage.title')}>
        {gaps.map((gap) => (
          <li key={gap.sector} data-sector={gap.sector}>
            <span className="sector-id">{gap.sector}</span> {sectors.find((sector) => sector.id === gap.sector)?.name ?? ''}{' '}
            <span className="muted">{gap.bestSeconds === null ? t('coverage.noUnit') : t('coverage.best', { min: Math.ceil(gap.bestSeconds / 60) })}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
