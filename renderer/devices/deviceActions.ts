// The devices panel's requests: list, register (as an existing or a new
// unit), block and unblock. A refusal is worded from its reason in the
// operator's language.
import type { RequestParams } from '../../shared/contract';
import type { CoreClient } from '../core/coreClient';
import { callCore } from '../core/activeClient';
import { describeFailureNow } from '../i18n/refusals';
import { useDevices } from './deviceStore';

/** Called once connected: pushed changes go to the store. */
export function watchDevices(client: CoreClient): void {
  client.on('devices.changed', (event) => useDevices.getState().apply(event.devices));
  client.on('fieldPoints.changed', (event) => useDevices.getState().applyPoints(event.points, event.removed));
}

export async function loadDevices(): Promise<void> {
  try {
    useDevices.getState().replaceAll((await callCore('devices.list', {})).devices);
    useDevices.getState().replacePoints((await callCore('fieldPoints.list', {})).points);
  } catch (error) {
    useDevices.getState().setMessage(describeFailureNow(error));
  }
}

async function act(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    useDevices.getState().setMessage(null);
    return true;
  } catch (error) {
    useDevices.getState().setMessage(describeFailureNow(error));
    return false;
  }
}

export function registerDevice(params: RequestParams<'devices.register'>): Promise<boolean> {
  return act(() => callCore('devices.register', params));
}

export function blockDevice(device: string, reason: string): Promise<boolean> {
  return act(() => callCore('devices.block', { device, reason }));
}

export function attachPoint(point: string, incident: string): Promise<boolean> {
  return act(() => callCore('fieldPoints.attach', { point, incident }));
}

export function unblockDevice(device: string): Promise<boolean> {
  return act(() => callCore('devices.unblock', { device }));
}
