// Alerts waiting for acknowledgement, pulsing at their position; acknowledged,
// they stop. Not interactive and outside the layer control: they are a
// prompt, not something to hide.
//
// Each is a small DOM marker whose ring is animated on `transform` and
// `opacity` only: the compositor runs that on its own. (An SVG stroke-width
// animation repainted the whole vector overlay — coast, sectors, sensor
// coverage — sixty times a second, which under 2,000 moving tracks delayed
// everything else on the page.)
//
// Only the first MAX_PULSING (alertFormat.ts) waiting alerts in the queue's order pulse; the
// others are marked still, with a thicker edge. An animated marker costs the
// page ~23 kB (Chromium's animation, keyframes and compositor layer), and a
// regional night left unattended holds hundreds of waiting alerts: at 10,000
// tracks the page's heap grew with them (docs/performance.md, Memory). A
// hundred rings pulsing at once would not draw the eye to any one of them.
import L from 'leaflet';
import { useMemo } from 'react';
import { LayerGroup, Marker } from 'react-leaflet';
import type { AlertView } from '../../shared/contract';
import { pulsingAlerts } from '../shell/alertFormat';
import { useShownPicture } from '../state/store';

type MarkerLook = 'pulse' | 'waiting' | 'acknowledged';

function alertIcon(alert: AlertView, look: MarkerLook): L.DivIcon {
  return L.divIcon({
    className: `alert-marker alert-marker-${look}${look === 'pulse' ? ' alert-pulse' : ''} severity-${alert.severity}`,
    // Alert ids are the core's (A00001…): safe in an attribute; named for tests and the benchmark.
    html: `<span class="alert-ring" data-alert-marker="${alert.id}"></span>`,
    iconSize: [20, 20],
    iconAnchor: [10, 10],
  });
}

function AlertMarker({ alert, look }: { alert: AlertView; look: MarkerLook }) {
  const icon = useMemo(() => alertIcon(alert, look), [alert, look]);
  return <Marker position={[alert.lat!, alert.lon!]} icon={icon} interactive={false} keyboard={false} />;
}

export function AlertPulseLayer() {
  const alerts = useShownPicture((picture) => picture.alerts);
  const pulsing = useMemo(() => pulsingAlerts(alerts), [alerts]);
  return (
    <LayerGroup>
      {alerts.map((alert) =>
        alert.lat === null || alert.lon === null || alert.status === 'closed' ? null : (
          <AlertMarker key={alert.id} alert={alert} look={alert.status === 'acknowledged' ? 'acknowledged' : pulsing.has(alert.id) ? 'pulse' : 'waiting'} />
        ),
      )}
    </LayerGroup>
  );
}
