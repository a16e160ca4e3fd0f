// Vigie's JSON-lines feed (v1), inbound side: one object per line. Typed
// against the core's own schema input, so a field the core does not accept
// fails to compile here rather than at the listener.
import type { z } from 'zod';
import type { JsonInbound } from '../../../shared/feeds/jsonLines';
import { JSON_FEED_VERSION } from '../../../shared/feeds/jsonLines';

export type JsonInboundMessage = z.input<typeof JsonInbound>;

type Body<T extends JsonInboundMessage['type']> = Omit<Extract<JsonInboundMessage, { type: T }>, 'v' | 'type' | 'time'>;

/** Positions to ~0.1 m, angles to 0.1°, speeds to 0.1 kn: what devices send, and short lines. */
export const roundTo = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

export function jsonLine(message: JsonInboundMessage): string {
  return `${JSON.stringify(message)}\n`;
}

function stamp(time: number | undefined): { time?: string } {
  return time === undefined ? {} : { time: new Date(time).toISOString() };
}

export function helloLine(body: Body<'hello'>): string {
  return jsonLine({ v: JSON_FEED_VERSION, type: 'hello', ...body });
}

export function heartbeatLine(sensor: string, time?: number): string {
  return jsonLine({ v: JSON_FEED_VERSION, type: 'heartbeat', ...stamp(time), sensor });
}

export function detectionLine(body: Body<'detection'>, time?: number): string {
  return jsonLine({
    v: JSON_FEED_VERSION,
    type: 'detection',
    ...stamp(time),
    ...body,
    lat: roundTo(body.lat, 6),
    lon: roundTo(body.lon, 6),
    confidence: roundTo(body.confidence, 2),
  });
}

export function optronicLine(body: Body<'optronic'>, time?: number): string {
  return jsonLine({
    v: JSON_FEED_VERSION,
    type: 'optronic',
    ...stamp(time),
    ...body,
    observer: { lat: roundTo(body.observer.lat, 6), lon: roundTo(body.observer.lon, 6) },
    bearing: roundTo(body.bearing, 1),
    range: Math.max(1, Math.round(body.range)),
    confidence: roundTo(body.confidence, 2),
  });
}

export function unitPositionLine(body: Body<'unit-position'>, time?: number): string {
  return jsonLine({
    v: JSON_FEED_VERSION,
    type: 'unit-position',
    ...stamp(time),
    ...body,
    lat: roundTo(body.lat, 6),
    lon: roundTo(body.lon, 6),
    heading: body.heading === undefined ? undefined : roundTo(body.heading, 1) % 360,
    speed: body.speed === undefined ? undefined : roundTo(body.speed, 1),
  });
}

export function unitAckLine(body: Body<'unit-ack'>, time?: number): string {
  return jsonLine({ v: JSON_FEED_VERSION, type: 'unit-ack', ...stamp(time), ...body });
}
