// Alerts waiting for acknowledgement, pulsing at their position; acknowledged,
// they stop. Not interactive and outside the layer control: they are a
// prompt, not something to hide.
//
// Each is a small DOM marker whose ring is animated on `transform` and
// `opacity` only: the compositor runs that on its own. (An SVG stroke-width
// animation repainted the whole vector overlay — coast, sectors, sensor
// coverage — sixty times a second, which under 2,000 moving tracks delayed
// everything else on the page.)
import L from 'leaflet';
import { useMemo } from 'react';
import { LayerGroup, Marker } from 'react-leaflet';
import type { AlertView } from '../../shared/contract';
import { useShownPicture } from '../state/store';

function alertIcon(alert: AlertView): L.DivIcon {
  const waiting = alert.status === 'new';
  return L.divIcon({
    className: `alert-marker ${waiting ? 'alert-pulse' : 'alert-marker-acknowledged'} severity-${alert.severity}`,
    // Alert ids are the core's (A00001…): safe in an attribute; named for tests and the benchmark.
    html: `<span class="alert-ring" data-alert-marker="${alert.id}"></span>`,
    iconSize: [20, 20],
    iconAnchor: [10, 10],
  });
}

function AlertMarker({ alert }: { alert: AlertView }) {
  const icon = useMemo(() => alertIcon(alert), [alert]);
  return <Marker position={[alert.lat!, alert.lon!]} icon={icon} interactive={false} keyboard={false} />;
}

export function AlertPulseLayer() {
  const alerts = useShownPicture((picture) => picture.alerts);
  return (
    <LayerGroup>
      {alerts.map((alert) => (alert.lat === null || alert.lon === null || alert.status === 'closed' ? null : <AlertMarker key={alert.id} alert={alert} />))}
    </LayerGroup>
  );
}
