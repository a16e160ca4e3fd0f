// Field devices and what they place, on the map (issue 13): unregistered
// devices as friendly symbols, points of any affiliation and dimension in
// their MIL-STD-2525 frame and colour, spot markers in their device's colour
// — each with its label, who placed it and its age, greyed past its stale
// time. A point can be attached to the incident on screen from its popup.
import L from 'leaflet';
import { useMemo } from 'react';
import { LayerGroup, Marker, Popup, Tooltip } from 'react-leaflet';
import type { DeviceView, FieldPointView } from '../../shared/contract';
import { useT } from '../i18n/useT';
import { pictureNow, useConsole } from '../state/store';
import { attachPoint } from './deviceActions';
import { isStale, useDevices } from './deviceStore';
import { affiliationOf, dimensionOf, frameSvg, markerSvg } from './milFrames';

function pointIcon(point: FieldPointView, stale: boolean): L.DivIcon {
  const marker = point.category === 'marker';
  return L.divIcon({
    className: 'field-point-icon',
    html: marker ? markerSvg(point.colour, stale) : frameSvg(point.cotType, stale),
    iconSize: marker ? [16, 16] : [24, 24],
    iconAnchor: marker ? [8, 8] : [12, 12],
  });
}

function FieldPointMarker({ point, now }: { point: FieldPointView; now: number }) {
  const t = useT();
  const stale = isStale(point, now);
  const icon = useMemo(() => pointIcon(point, stale), [point, stale]);
  const incident = useConsole((state) => state.selectedIncident);
  const what =
    point.category === 'marker'
      ? t('field.marker')
      : t('field.atom', { affiliation: t(`field.affiliation.${affiliationOf(point.cotType)}`), dimension: t(`field.dimension.${dimensionOf(point.cotType)}`) });
  return (
    <Marker position={[point.lat, point.lon]} icon={icon}>
      <Tooltip direction="top" offset={[0, -10]}>
        <span data-field-point={point.id} data-stale={stale ? 'true' : 'false'}>
          {point.label ?? point.uid} · {what}
          {point.placedBy ? ` · ${t('field.placedBy', { who: point.placedBy })}` : ''}
          {stale ? ` · ${t('devices.stale')}` : ''}
        </span>
      </Tooltip>
      <Popup>
        <div className="field-popup">
          <strong>{point.label ?? point.uid}</strong>
          <div>{what}</div>
          {point.placedBy ? <div>{t('field.placedBy', { who: point.placedBy })}</div> : null}
          {point.remarks ? <div className="field-remarks">{point.remarks}</div> : null}
          <div className="muted">
            {t('field.since', { time: t.time(point.time) })} · {t('field.until', { time: t.time(point.stale) })}
          </div>
          {point.incident ? (
            <div>{t('field.attachedTo', { incident: point.incident })}</div>
          ) : incident ? (
            <button type="button" onClick={() => void attachPoint(point.id, incident)}>
              {t('field.attach', { incident })}
            </button>
          ) : null}
        </div>
      </Popup>
    </Marker>
  );
}

const deviceIcons = new Map<string, L.DivIcon>();
function deviceIcon(device: DeviceView, stale: boolean): L.DivIcon {
  const key = `${device.cotType ?? 'a-f-G'}:${stale}`;
  let icon = deviceIcons.get(key);
  if (!icon)
    deviceIcons.set(
      key,
      (icon = L.divIcon({ className: 'field-device-icon', html: frameSvg(device.cotType ?? 'a-f-G', stale), iconSize: [24, 24], iconAnchor: [12, 12] })),
    );
  return icon;
}

export function FieldLayer() {
  const t = useT();
  const points = useDevices((state) => state.points);
  const devices = useDevices((state) => state.devices);
  const now = pictureNow();
  return (
    <LayerGroup>
      {Object.values(devices).map((device) =>
        // Registered devices are drawn as their unit; blocked ones not at all.
        device.unit !== null || device.blocked !== null || device.lat === null || device.lon === null ? null : (
          <Marker key={device.id} position={[device.lat, device.lon]} icon={deviceIcon(device, isStale(device, now))}>
            <Tooltip direction="top" offset={[0, -10]}>
              <span data-field-device={device.id}>
                {device.callsign ?? device.uid} · {t('field.unregistered')}
                {device.battery !== null ? ` · 🔋 ${t('devices.percent', { value: device.battery })}` : ''}
              </span>
            </Tooltip>
          </Marker>
        ),
      )}
      {Object.values(points).map((point) => (
        <FieldPointMarker key={point.id} point={point} now={now} />
      ))}
    </LayerGroup>
  );
}
