// A unit's emergency on its card (issue 13): shown while the unit's device —
// the one registered as it, or a site-file terminal — has raised an
// emergency (911, ring the bell, troops in contact, geofence breach) and not
// cancelled it.
import { useT } from '../i18n/useT';
import { useDevices } from './deviceStore';

export function UnitEmergency({ unit }: { unit: string }) {
  const t = useT();
  const emergency = useDevices((state) => {
    for (const device of Object.values(state.devices))
      if (device.emergency && (device.emergency.unit === unit || device.unit === unit)) return device.emergency;
    return null;
  });
  if (!emergency) return null;
  return (
    <p className="unit-emergency" role="alert" data-testid="unit-emergency">
      {t(`emergency.${emergency.kind}`)} · {t('emergency.since', { time: t.time(emergency.since) })}
    </p>
  );
}
