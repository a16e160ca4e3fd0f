// Open alerts, newest first: kind, sector, sensor, time and age. (The full
// queue — severity order, acknowledgement, escalation, virtualisation — comes
// with the operator's console.) The list is one focusable, scrollable stop:
// A jumps here.
import { useCallback, useEffect, useState } from 'react';
import type { AlertView } from '../../shared/contract';
import type { Translator } from '../i18n/translate';
import { useT } from '../i18n/useT';
import { registerFocusRegion } from '../keyboard/focusRegions';
import { useConsole } from '../state/store';

const SHOWN = 50;

function age(t: Translator, ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('age.seconds', { s });
  if (s < 3600) return t('age.minutes', { m: Math.floor(s / 60) });
  return t('age.hours', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

export function AlertList() {
  const t = useT();
  const alerts = useConsole((state) => state.alerts);
  const sectors = useConsole((state) => state.sectors);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const focusTarget = useCallback((element: HTMLDivElement | null) => registerFocusRegion('alerts', element), []);
  const sectorName = (id: string | null) => (id ? (sectors.find((sector) => sector.id === id)?.name ?? id) : t('alerts.openSea'));
  const meta = (alert: AlertView) =>
    [alert.sensor, t.time(alert.time), age(t, now - alert.time), alert.count ? t('alerts.people', { count: alert.count }) : null].filter((part) => part !== null).join(' · ');
  return (
    <section className="panel-section" aria-label={t('alerts.title')}>
      <h2>
        {t('alerts.title')} <span className="muted">({t.number(alerts.length)})</span>
      </h2>
      <div className="alert-scroll" tabIndex={0} role="group" aria-label={t('alerts.listLabel', { count: alerts.length })} ref={focusTarget} data-testid="alert-region">
        {alerts.length === 0 ? <p className="alert-empty muted">{t('alerts.none')}</p> : null}
        <ol className="alert-list" data-testid="alert-list">
          {alerts.slice(0, SHOWN).map((alert) => (
            <li key={alert.id} className={`alert severity-${alert.severity}`} data-alert-id={alert.id} data-alert-kind={alert.kind}>
              <span className="alert-kind">
                {t(`alertKind.${alert.kind}`)}
                <span className="visually-hidden">, {t(`alerts.severity.${alert.severity}`)}</span>
              </span>
              <span className="alert-where">{sectorName(alert.sector)}</span>
              <span className="alert-meta muted">{meta(alert)}</span>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
