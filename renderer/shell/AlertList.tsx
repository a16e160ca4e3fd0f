// Open alerts, newest first: kind, sector, sensor, age. (The full queue —
// severity order, acknowledgement, escalation, virtualisation — comes with
// the operator's console.)
import { useEffect, useState } from 'react';
import type { AlertView } from '../../shared/contract';
import { useConsole } from '../state/store';

const KIND_TEXT: Record<AlertView['kind'], string> = {
  'group-on-beach': 'Group on beach',
  'boat-launch': 'Boat launch',
  'boat-at-sea': 'Boat at sea',
  vehicle: 'Vehicle',
  'suspicious-activity': 'Suspicious activity',
  'sensor-silent': 'Sensor silent',
};
const SHOWN = 50;

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function AlertList() {
  const alerts = useConsole((state) => state.alerts);
  const sectors = useConsole((state) => state.sectors);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const sectorName = (id: string | null) => (id ? (sectors.find((sector) => sector.id === id)?.name ?? id) : 'open sea');
  return (
    <section className="panel-section" aria-label="Alerts">
      <h2>
        Alerts <span className="muted">({alerts.length})</span>
      </h2>
      <ol className="alert-list" data-testid="alert-list">
        {alerts.slice(0, SHOWN).map((alert) => (
          <li key={alert.id} className={`alert severity-${alert.severity}`} data-alert-id={alert.id} data-alert-kind={alert.kind}>
            <span className="alert-kind">{KIND_TEXT[alert.kind]}</span>
            <span className="alert-where">{sectorName(alert.sector)}</span>
            <span className="alert-meta muted">
              {alert.sensor} · {age(now - alert.time)}
              {alert.count ? ` · ${alert.count} people` : ''}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
