// Brings the picture's sensors and units in line with the site file: each
// sensor or unit that is new or changed is logged once (site.sensor /
// site.unit), so the log alone says what the post had at any moment.
import { canonicalJson } from '../../../shared/canonicalJson';
import { logEvent, type EventPayloads, type LogEvent } from '../log/eventCatalogue';
import type { EventAppender } from '../log/logWriter';
import type { Site } from '../../../shared/site';
import type { LivePicture } from './livePicture';

export function sensorDefinition(sensor: Site['sensors'][number]): EventPayloads['site.sensor'] {
  const base = { id: sensor.id, kind: sensor.kind, name: sensor.name, position: sensor.position, heartbeatSeconds: sensor.heartbeatSeconds };
  switch (sensor.kind) {
    case 'camera':
      return { ...base, rangeMeters: sensor.rangeMeters, bearing: sensor.bearing, fieldOfView: sensor.fieldOfView };
    case 'drone':
      return { ...base, rangeMeters: sensor.footprintMeters };
    case 'radar':
    case 'optronic':
    case 'ais':
      return { ...base, rangeMeters: sensor.rangeMeters };
  }
}

export function syncSite(site: Site, picture: LivePicture, log: EventAppender): number {
  const events: LogEvent[] = [];
  for (const sensor of site.sensors) {
    const wanted = sensorDefinition(sensor);
    const current = picture.sensors.get(sensor.id);
    const known = current && {
      id: current.id,
      kind: current.kind,
      name: current.name,
      position: current.position,
      heartbeatSeconds: current.heartbeatSeconds,
      rangeMeters: current.rangeMeters,
      ...(current.bearing !== undefined ? { bearing: current.bearing, fieldOfView: current.fieldOfView } : {}),
    };
    if (!known || canonicalJson(known) !== canonicalJson(wanted)) events.push(logEvent('site.sensor', 'site', wanted));
  }
  for (const unit of site.units) {
    const wanted = { id: unit.id, callsign: unit.callsign, type: unit.type, crew: unit.crew, home: unit.home };
    const current = picture.units.get(unit.id);
    if (!current || current.callsign !== unit.callsign || current.type !== unit.type || current.crew !== unit.crew)
      events.push(logEvent('site.unit', 'site', wanted));
  }
  if (events.length > 0) log.append(events);
  return events.length;
}
