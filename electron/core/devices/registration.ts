// The rules of registering and blocking a field device, where the handlers,
// the CLI and the tests reach them: which events a registration logs, and
// why one is refused.
import type { UnitType } from '../../../shared/domain';
import { logEvent, type LogEvent } from '../log/eventCatalogue';
import type { LivePicture } from '../picture/livePicture';
import { Refusal } from '../refusal';
import type { FieldDevices } from './fieldDevices';

/** Units created by registering a device are TAK01, TAK02…: never a site file's id. */
const NEW_UNIT_PREFIX = 'TAK';

export interface NewUnit {
  callsign: string;
  type: UnitType;
  crew: number;
}

/**
 * The events that register `deviceId` as `unit` (an existing unit) or as a
 * new unit: a site.unit defining it (at the device's last position), then
 * device.registered. Refuses an unknown, blocked or already registered
 * device, an unknown unit, or a callsign another unit has.
 */
export function registration(
  devices: FieldDevices,
  picture: LivePicture,
  deviceId: string,
  target: { unit: string } | { create: NewUnit },
): { unit: string; created: boolean; events: LogEvent[] } {
  const device = devices.get(deviceId);
  if (!device) throw new Refusal('device-unknown', { device: deviceId }, `no device ${deviceId} has been heard`);
  if (device.blocked) throw new Refusal('device-blocked', { device: deviceId }, `device ${deviceId} is blocked`);
  if (device.unit) throw new Refusal('device-already-registered', { device: deviceId, unit: device.unit }, `device ${deviceId} is already ${device.unit}`);
  if ('unit' in target) {
    if (!picture.units.has(target.unit)) throw new Refusal('unit-unknown', { unit: target.unit }, `no unit ${target.unit}`);
    return {
      unit: target.unit,
      created: false,
      events: [logEvent('device.registered', 'console', { d: device.id, u: target.unit, uid: device.uid })],
    };
  }
  const callsign = target.create.callsign.trim();
  for (const unit of picture.units.values())
    if (unit.callsign.toLowerCase() === callsign.toLowerCase()) throw new Refusal('callsign-taken', { callsign }, `a unit is already called ${callsign}`);
  let n = 1;
  while (picture.units.has(`${NEW_UNIT_PREFIX}${String(n).padStart(2, '0')}`)) n++;
  const unit = `${NEW_UNIT_PREFIX}${String(n).padStart(2, '0')}`;
  // A unit needs a home (the ETA model starts there before its first fix): where the device last was.
  const home: [number, number] = [device.lon ?? 0, device.lat ?? 0];
  return {
    unit,
    created: true,
    events: [
      logEvent('site.unit', 'console', { id: unit, callsign, type: target.create.type, crew: target.create.crew, home }),
      logEvent('device.registered', 'console', { d: device.id, new: 1, u: unit, uid: device.uid }),
    ],
  };
}

export function blocking(devices: FieldDevices, deviceId: string, reason: string): LogEvent[] {
  const device = devices.get(deviceId);
  if (!device) throw new Refusal('device-unknown', { device: deviceId }, `no device ${deviceId} has been heard`);
  return [logEvent('device.blocked', 'console', { d: device.id, reason, uid: device.uid })];
}

export function unblocking(devices: FieldDevices, deviceId: string): LogEvent[] {
  const device = devices.get(deviceId);
  if (!device) throw new Refusal('device-unknown', { device: deviceId }, `no device ${deviceId} has been heard`);
  return [logEvent('device.unblocked', 'console', { d: device.id, uid: device.uid })];
}
