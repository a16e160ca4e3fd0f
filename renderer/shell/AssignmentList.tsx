// The units sent to an incident, each with the time of every step it has
// reached (24-hour), so the operator reads the timeline at a glance.
import type { AssignmentView } from '../../shared/contract';
import { setUnitStatus } from '../dispatch/actions';
import { useT } from '../i18n/useT';
import { showUnit } from '../map/mapActions';
import { useShownPicture } from '../state/store';

export function AssignmentList({ assignments }: { assignments: AssignmentView[] }) {
  const t = useT();
  const units = useShownPicture((picture) => picture.units);
  return (
    <section aria-label={t('incident.assignments')}>
      <h3>{t('incident.assignments')}</h3>
      {assignments.length === 0 ? <p className="muted">{t('incident.noAssignments')}</p> : null}
      <ul className="assignments" data-testid="assignments">
        {assignments.map((assignment) => {
          const steps = [
            ['assigned', assignment.assignedAt],
            ['en-route', assignment.enRouteAt],
            ['on-scene', assignment.onSceneAt],
            ['cleared', assignment.clearedAt],
          ] as const;
          const callsign = units.find((unit) => unit.id === assignment.unit)?.callsign ?? assignment.unit;
          const active = assignment.status !== 'cleared';
          return (
            <li key={assignment.id} data-unit={assignment.unit} data-status={assignment.status}>
              <span className="assignment-unit">{callsign}</span>{' '}
              <span className={`unit-status status-${assignment.status}`} data-testid="assignment-status">
                {t(`unitStatus.${assignment.status}`)}
              </span>
              <span className="assignment-steps muted">
                {steps
                  .filter(([, time]) => time !== null)
                  .map(([step, time]) => `${t(`unitStatus.${step}`)} ${t.time(time!)}`)
                  .join(' · ')}
              </span>
              <span className="assignment-buttons">
                <button type="button" onClick={() => showUnit(assignment.unit)} aria-label={t('incident.showUnit', { unit: callsign })} data-testid="show-unit">
                  {t('incident.fit')}
                </button>
                {assignment.status === 'assigned' ? (
                  <button type="button" onClick={() => void setUnitStatus(assignment.unit, 'en-route')} data-testid="unit-en-route">
                    {t('incident.enRoute')}
                  </button>
                ) : null}
                {active ? (
                  <button type="button" onClick={() => void setUnitStatus(assignment.unit, 'cleared')} data-testid="unit-clear">
                    {t('incident.clearUnit')}
                  </button>
                ) : null}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
