// One row of the alert queue: kind (with the severity in words for screen
// readers), sector, sensor, time and age; escalated and acknowledged marks.
import type { AlertView } from '../../shared/contract';
import { useT } from '../i18n/useT';
import { useShownPicture } from '../state/store';
import { formatAge, ROW_HEIGHT } from './alertFormat';

interface AlertRowProps {
  alert: AlertView;
  index: number;
  count: number;
  selected: boolean;
  now: number;
  onChoose(): void;
}

export function AlertRow({ alert, index, count, selected, now, onChoose }: AlertRowProps) {
  const t = useT();
  const sectorName = useShownPicture((picture) => (alert.sector ? (picture.sectors.find((sector) => sector.id === alert.sector)?.name ?? alert.sector) : null));
  const meta = [alert.sensor, t.time(alert.time), formatAge(t, now - alert.time), alert.count ? t('alerts.people', { count: alert.count }) : null]
    .filter((part) => part !== null)
    .join(' · ');
  const classes = [
    'alert',
    `severity-${alert.severity}`,
    `status-${alert.status}`,
    alert.escalated && alert.status === 'new' ? 'escalated' : '',
    selected ? 'selected' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    // Clicks are a convenience; the listbox's keys are the way in (as in any listbox).
    <li
      id={`alert-option-${alert.id}`}
      role="option"
      aria-selected={selected}
      aria-setsize={count}
      aria-posinset={index + 1}
      className={classes}
      style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
      onClick={onChoose}
      data-alert-id={alert.id}
      data-alert-kind={alert.kind}
      data-status={alert.status}
      data-escalated={alert.escalated}
    >
      <span className="alert-line">
        <span className="alert-kind">
          {t(`alertKind.${alert.kind}`)}
          <span className="visually-hidden">, {t(`alerts.severity.${alert.severity}`)}</span>
        </span>
        <span className="alert-where">{sectorName ?? t('alerts.openSea')}</span>
      </span>
      <span className="alert-line">
        <span className="alert-meta muted">{meta}</span>
        {alert.escalated && alert.status === 'new' ? <span className="alert-badge escalated-badge">{t('alerts.escalated')}</span> : null}
        {alert.incident ? (
          <span className="alert-badge incident-badge" data-testid="alert-incident">
            {t('alerts.inIncident', { incident: alert.incident })}
          </span>
        ) : null}
      </span>
    </li>
  );
}
