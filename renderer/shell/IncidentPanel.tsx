// The selected incident: where it is, its alerts, the units sent and the
// units ranked by time of arrival. Its keys (D, 1–9, O, E, R, Z, C) are global
// shortcuts, so they work wherever the focus is.
import { formatDecimal, formatDegreesMinutes } from '../../shared/coordinates';
import { exportIncidentEvidence, openCloseDialog, toggleOverride } from '../dispatch/actions';
import { fitToIncident } from '../map/mapActions';
import { useT } from '../i18n/useT';
import { shownPicture, useConsole, useShownPicture } from '../state/store';
import { AssignmentList } from './AssignmentList';
import { IncidentNotes } from './IncidentNotes';
import { RankedUnits } from './RankedUnits';
import { IncidentOwner } from '../room/IncidentOwner';

export function IncidentPanel() {
  const t = useT();
  const incident = useConsole((state) => shownPicture(state).incidents.find((candidate) => candidate.id === state.selectedIncident));
  const sectors = useShownPicture((picture) => picture.sectors);
  const alerts = useShownPicture((picture) => picture.alerts);
  const override = useConsole((state) => state.override);
  const message = useConsole((state) => state.dispatchMessage);
  // The ranking is the live core's answer about now: not shown for a replayed incident.
  const replaying = useConsole((state) => state.replay !== null);
  if (!incident) return null;
  const sectorName = incident.sector ? (sectors.find((sector) => sector.id === incident.sector)?.name ?? incident.sector) : t('alerts.openSea');
  return (
    <aside className="incident-panel" aria-label={t('incident.panel')} data-testid="incident-panel" data-incident={incident.id}>
      <header className="incident-header">
        <h2>{t('incident.title', { id: incident.id })}</h2>
        <p className="muted">
          {sectorName} · {t('incident.opened', { time: t.time(incident.openedAt) })}
        </p>
      </header>
      <IncidentOwner incident={incident.id} owner={incident.owner} readOnly={replaying || incident.status !== 'open'} />
      <section aria-label={t('incident.position')}>
        <h3>{t('incident.position')}</h3>
        <p className="incident-position" data-testid="incident-position">
          <span>{formatDecimal(incident.lat, incident.lon)}</span>
          <span>{formatDegreesMinutes(incident.lat, incident.lon)}</span>
        </p>
      </section>
      <section aria-label={t('incident.alerts')}>
        <h3>{t('incident.alerts')}</h3>
        <ul className="incident-alerts" data-testid="incident-alerts">
          {incident.alerts.map((id) => {
            const alert = alerts.find((candidate) => candidate.id === id);
            return (
              <li key={id} data-alert-id={id}>
                <span className="mono">{id}</span> {alert ? `${t(`alertKind.${alert.kind}`)} · ${alert.sensor} · ${t.time(alert.time)}` : null}
              </li>
            );
          })}
        </ul>
      </section>
      <AssignmentList assignments={incident.assignments} />
      <IncidentNotes notes={incident.noteLog} />
      {replaying ? null : <RankedUnits incident={incident.id} />}
      {message ? (
        <p className="dispatch-message" role="alert" data-testid="dispatch-message">
          {t('incident.refused', { reason: message })}
        </p>
      ) : null}
      <div className="incident-tools">
        <button type="button" aria-pressed={override} className={override ? 'override-on' : undefined} onClick={toggleOverride} data-testid="override-toggle">
          {t('incident.override')} <kbd>O</kbd>
        </button>
        <button type="button" onClick={fitToIncident} data-testid="fit-incident">
          {t('incident.fit')} <kbd>Z</kbd>
        </button>
        <button type="button" onClick={() => void exportIncidentEvidence()} data-testid="export-evidence">
          {t('incident.evidence')}
        </button>
        <button type="button" onClick={openCloseDialog} aria-haspopup="dialog" data-testid="close-incident">
          {t('incident.close')} <kbd>C</kbd>
        </button>
      </div>
      {override ? <p className="override-note">{t('incident.overrideOn')}</p> : null}
      <p className="muted incident-keys">{t('incident.keys')}</p>
    </aside>
  );
}
