// Units ranked by estimated time of arrival at the incident (the core's
// dispatch.rank, asked again every few seconds by main.tsx as units move).
// The rank number is the key that assigns the unit.
import { useEffect } from 'react';
import { refreshRanking } from '../dispatch/actions';
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';

export function RankedUnits({ incident }: { incident: string }) {
  const t = useT();
  const ranking = useConsole((state) => state.ranking);
  useEffect(() => {
    void refreshRanking();
  }, [incident]);
  return (
    <section aria-label={t('incident.units')}>
      <h3>{t('incident.units')}</h3>
      {ranking === null ? <p className="muted">{t('incident.ranking')}</p> : null}
      {ranking?.length === 0 ? <p className="muted">{t('incident.noUnits')}</p> : null}
      {ranking && ranking.length > 0 ? (
        <table className="ranked-units" data-testid="ranked-units">
          <thead>
            <tr>
              <th scope="col">{t('units.rank')}</th>
              <th scope="col">{t('units.callsign')}</th>
              <th scope="col">{t('units.type')}</th>
              <th scope="col">{t('units.eta')}</th>
              <th scope="col">{t('units.distance')}</th>
              <th scope="col">{t('units.mode')}</th>
              <th scope="col">{t('units.state')}</th>
            </tr>
          </thead>
          <tbody>
            {ranking.slice(0, 12).map((unit, index) => (
              <tr key={unit.unit} data-unit={unit.unit} data-available={unit.available} className={unit.available ? undefined : 'committed'}>
                <td>{index < 9 ? <kbd>{index + 1}</kbd> : null}</td>
                <td>{unit.callsign}</td>
                <td>{t(`unitType.${unit.type}`)}</td>
                <td>{unit.seconds !== null ? t('units.minutes', { min: Math.ceil(unit.seconds / 60) }) : '—'}</td>
                <td>{unit.meters !== null ? t('distance.km', { km: Math.round(unit.meters / 100) / 10 }) : '—'}</td>
                <td>{t(`mode.${unit.mode}`)}</td>
                <td title={unit.note ?? undefined}>
                  {!unit.reachable
                    ? t('units.unreachable')
                    : unit.available
                      ? t('units.available')
                      : unit.committedTo
                        ? t('units.committed', { incident: unit.committedTo })
                        : t(`unitStatus.${unit.status}`)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
