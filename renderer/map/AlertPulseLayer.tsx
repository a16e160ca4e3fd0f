// Alerts waiting for acknowledgement, pulsing at their position (CSS, still
// under prefers-reduced-motion); acknowledged, they stop. Not interactive and
// outside the layer control: they are a prompt, not something to hide.
import { CircleMarker, LayerGroup } from 'react-leaflet';
import { useConsole } from '../state/store';
import { RISK_COLOUR } from './mapStyle';

const SEVERITY_COLOUR = { high: '#e26a5a', medium: RISK_COLOUR.medium, low: RISK_COLOUR.low } as const;

export function AlertPulseLayer() {
  const alerts = useConsole((state) => state.alerts);
  return (
    <LayerGroup>
      {alerts.map((alert) =>
        alert.lat === null || alert.lon === null || alert.status === 'closed' ? null : (
          <CircleMarker
            // Re-created when acknowledged: Leaflet does not update className on its own.
            key={`${alert.id}-${alert.status}`}
            center={[alert.lat, alert.lon]}
            radius={alert.status === 'new' ? 9 : 5}
            interactive={false}
            // An option read once, when Leaflet creates the path (pathOptions are applied later, by setStyle).
            className={alert.status === 'new' ? `alert-pulse severity-${alert.severity}` : 'alert-marker-acknowledged'}
            pathOptions={{ color: SEVERITY_COLOUR[alert.severity], weight: 2, fillOpacity: alert.status === 'new' ? 0.35 : 0.15 }}
          />
        ),
      )}
    </LayerGroup>
  );
}
