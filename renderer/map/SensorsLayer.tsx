// Sensors and what they cover: radar and optronic range rings, camera
// field-of-view wedges, drone footprints. A silent sensor is drawn dim and
// dashed so it reads as "not watching" at a glance.
import { Circle, CircleMarker, LayerGroup, Polygon, Tooltip } from 'react-leaflet';
import type { SensorView } from '../../shared/contract';
import { destinationPoint } from '../../shared/sphere';
import { useT } from '../i18n/useT';

const COLOUR = { radar: '#5f8fc4', camera: '#9b7fd0', drone: '#59b3a0', optronic: '#c49a5f', ais: '#7fb85f' } as const;

function wedge(sensor: SensorView): [number, number][] {
  const [lon, lat] = sensor.position;
  const bearing = sensor.bearing ?? 0;
  const half = (sensor.fieldOfView ?? 60) / 2;
  const points: [number, number][] = [[lat, lon]];
  for (let step = 0; step <= 12; step++) {
    const p = destinationPoint(lat, lon, bearing - half + (step * 2 * half) / 12, sensor.rangeMeters);
    points.push([p.lat, p.lon]);
  }
  return points;
}

export function SensorsLayer({ sensors }: { sensors: SensorView[] }) {
  const t = useT();
  return (
    <LayerGroup>
      {sensors.map((sensor) => {
        const [lon, lat] = sensor.position;
        const silent = sensor.health === 'silent';
        const style = {
          color: silent ? '#6b7785' : COLOUR[sensor.kind],
          weight: 1,
          opacity: silent ? 0.5 : 0.7,
          fillOpacity: 0.04,
          dashArray: silent ? '4 4' : undefined,
        };
        return (
          <LayerGroup key={sensor.id}>
            {sensor.kind === 'camera' ? (
              <Polygon positions={wedge(sensor)} pathOptions={style} interactive={false} />
            ) : sensor.kind === 'ais' ? null /* an AIS receiver's reach (tens of miles) would cover the whole map */ : (
              <Circle
                center={[lat, lon]}
                radius={sensor.rangeMeters}
                pathOptions={{ ...style, fillOpacity: sensor.kind === 'radar' ? 0 : 0.04 }}
                interactive={false}
              />
            )}
            <CircleMarker center={[lat, lon]} radius={4} pathOptions={{ color: style.color, weight: 2, fillColor: '#0b1220', fillOpacity: 1 }}>
              <Tooltip direction="top" offset={[0, -4]}>
                <span data-sensor-id={sensor.id} data-health={sensor.health}>
                  {t('sensor.tooltip', { name: sensor.name, state: t(`sensor.state.${sensor.health}`) })}
                </span>
              </Tooltip>
            </CircleMarker>
          </LayerGroup>
        );
      })}
    </LayerGroup>
  );
}
