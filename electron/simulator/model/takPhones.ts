// Patrols with ATAK phones (issue 13 item 9). What a phone says beyond the
// position every patrol reports: its self-report carries what ATAK puts in
// one (contact with its endpoint, team and role, battery, device and app,
// course and speed); it places a hostile or unknown point on a group it sees
// gathering on a beach; it answers its tasking and the console's chat in
// GeoChat; and one phone in the night calls 911, then cancels. Phones in the
// scenario's `tak.devices` are not in the site file, so the core first sees
// them as unregistered devices. The events are built as TakEvents and go out
// as CoT XML or as TAK Protocol v1, whichever the phone speaks.
import type { Scenario } from '../scenario';
import type { TakEvent } from '../encode/takProtocol';
import type { Launch } from './launches';
import type { PatrolUnit } from './units';
import type { LonLat } from './geo';
import { destinationPoint, distanceMeters } from './geo';
import type { Random } from './random';

type TakConfig = Scenario['tak'];

export interface Phone {
  readonly unit: PatrolUnit;
  readonly uid: string;
  readonly format: 'xml' | 'protobuf';
  /** A phone of `tak.devices` (not in the site file): it answers in GeoChat rather than with Vigie's y-a replies. */
  readonly fieldDevice: boolean;
  readonly team: string;
  readonly role: string;
  battery: number;
}

/** ATAK's detail of every self-report, as a phone of this kind sends it. */
const TAKV = { device: 'SAMSUNG SM-G991B', platform: 'ATAK-CIV', os: '33', version: '4.10.0.12 (a0e4f86b).1706623498-CIV' };
const UNKNOWN = 9_999_999;
/** ATAK's stale times: a self-report lasts a couple of report periods, a point it places much longer. */
const POINT_STALE_MS = 10 * 60_000;
const CHAT_STALE_MS = 24 * 3600_000;

export const ALL_CHAT_ROOMS = 'All Chat Rooms';

export class TakPhones {
  readonly list: Phone[];
  private readonly marked = new Set<string>();
  private emergencyState: 'waiting' | 'raised' | 'cancelled' = 'waiting';

  constructor(
    private readonly config: TakConfig,
    units: readonly PatrolUnit[],
    private readonly random: Random,
  ) {
    const devices = new Map(config.devices.map((device) => [device.uid, device]));
    this.list = units.flatMap((unit) => {
      if (unit.device.protocol !== 'cot') return [];
      const device = devices.get(unit.device.uid);
      return [
        {
          unit,
          uid: unit.device.uid,
          format: device?.format ?? (config.protobuf.includes(unit.id) ? 'protobuf' : 'xml'),
          fieldDevice: device !== undefined,
          team: device?.team ?? 'Cyan',
          role: device?.role ?? 'Team Member',
          battery: random.int(55, 100),
        },
      ];
    });
  }

  of(unit: PatrolUnit): Phone | undefined {
    return this.list.find((phone) => phone.unit === unit);
  }

  /** The phone's self-report (a-f-G-U-C) at `time`. */
  selfReport(phone: Phone, time: number, staleMs: number, now: number): TakEvent {
    const { unit } = phone;
    // About 1 % every six minutes of the night, as a phone on patrol drains.
    const battery = Math.max(5, Math.round(phone.battery - now / 360_000));
    return {
      type: 'a-f-G-U-C',
      uid: phone.uid,
      time,
      stale: time + staleMs,
      how: 'm-g',
      lat: round7(unit.position[1]),
      lon: round7(unit.position[0]),
      hae: 12,
      ce: 8,
      le: UNKNOWN,
      contact: { endpoint: '*:-1:stcp', callsign: unit.callsign },
      group: { name: phone.team, role: phone.role },
      status: { battery },
      takv: TAKV,
      track: { speed: round1(unit.speedMs), course: round1(unit.heading) },
      xmlDetail: `<uid Droid="${escape(unit.callsign)}"/><precisionlocation geopointsrc="GPS" altsrc="GPS"/>`,
    };
  }

  /** Points placed on groups gathering near a phone: one per group, hostile or unknown, from the first phone within reach. */
  markGroups(launches: readonly Launch[], time: number): { phone: Phone; event: TakEvent }[] {
    if (this.config.markWithinMeters === 0) return [];
    const placed: { phone: Phone; event: TakEvent }[] = [];
    for (const launch of launches) {
      if (launch.phase !== 'gathering' || this.marked.has(launch.name)) continue;
      const phone = this.list.find((candidate) => distanceMeters(candidate.unit.position, launch.spot) <= this.config.markWithinMeters);
      if (!phone) continue;
      this.marked.add(launch.name);
      // Placed by eye on the map: some tens of metres off.
      const at: LonLat = destinationPoint(launch.spot, this.random.range(0, 360), this.random.range(0, 50));
      const type = this.random.chance(0.5) ? 'a-h-G' : 'a-u-G';
      placed.push({
        phone,
        event: {
          type,
          uid: `${phone.uid}.${launch.name}`,
          time,
          stale: time + POINT_STALE_MS,
          how: 'h-g-i-g-o',
          lat: round7(at[1]),
          lon: round7(at[0]),
          hae: 0,
          ce: UNKNOWN,
          le: UNKNOWN,
          contact: { callsign: `Groupe ${launch.name}` },
          xmlDetail:
            `<link uid="${escape(phone.uid)}" relation="p-p" type="a-f-G-U-C" parent_callsign="${escape(phone.unit.callsign)}"/>` +
            `<archive/><usericon iconsetpath="COT_MAPPING_2525B/${type.slice(0, 3)}/${type}"/>` +
            `<remarks>Environ ${launch.people} personnes sur la plage</remarks>`,
        },
      });
    }
    return placed;
  }

  /** The night's emergency, when its time comes: 911, then its cancel. */
  emergency(now: number, time: number): { phone: Phone; event: TakEvent } | undefined {
    const plan = this.config.emergency;
    if (!plan || this.emergencyState === 'cancelled') return undefined;
    const phone = this.list.find((candidate) => candidate.uid === plan.device);
    if (!phone) return undefined;
    const raiseAt = plan.afterMinutes * 60_000;
    const cancelAt = raiseAt + plan.cancelAfterMinutes * 60_000;
    if (this.emergencyState === 'waiting' && now >= raiseAt) {
      this.emergencyState = 'raised';
      return { phone, event: this.emergencyEvent(phone, 'b-a-o-tbl', time, `<emergency type="911 Alert">${escape(phone.unit.callsign)}</emergency>`) };
    }
    if (this.emergencyState === 'raised' && now >= cancelAt) {
      this.emergencyState = 'cancelled';
      return { phone, event: this.emergencyEvent(phone, 'b-a-o-can', time, `<emergency cancel="true">${escape(phone.unit.callsign)}</emergency>`) };
    }
    return undefined;
  }

  private emergencyEvent(phone: Phone, type: string, time: number, emergency: string): TakEvent {
    return {
      type,
      uid: `${phone.uid}-9-1-1`,
      time,
      stale: time + POINT_STALE_MS,
      how: 'h-e',
      lat: round7(phone.unit.position[1]),
      lon: round7(phone.unit.position[0]),
      hae: 0,
      ce: 5,
      le: UNKNOWN,
      contact: { callsign: `${phone.unit.callsign}-Alert` },
      xmlDetail: `<link uid="${escape(phone.uid)}" type="a-f-G-U-C" relation="p-p"/>${emergency}`,
    };
  }

  /** A GeoChat from the phone: to All Chat Rooms, or to the contact that wrote to it (`to`: its uid and callsign). */
  chat(phone: Phone, text: string, time: number, to?: { uid: string; callsign: string }): TakEvent {
    const messageId = this.messageId();
    const room = to ? to.callsign : ALL_CHAT_ROOMS;
    const roomId = to ? to.uid : ALL_CHAT_ROOMS;
    return {
      type: 'b-t-f',
      uid: `GeoChat.${phone.uid}.${roomId}.${messageId}`,
      time,
      stale: time + CHAT_STALE_MS,
      how: 'h-g-i-g-o',
      lat: round7(phone.unit.position[1]),
      lon: round7(phone.unit.position[0]),
      hae: UNKNOWN,
      ce: UNKNOWN,
      le: UNKNOWN,
      xmlDetail:
        `<__chat parent="RootContactGroup" groupOwner="false" messageId="${messageId}" chatroom="${escape(room)}" id="${escape(roomId)}" senderCallsign="${escape(phone.unit.callsign)}">` +
        `<chatgrp uid0="${escape(phone.uid)}" uid1="${escape(roomId)}" id="${escape(roomId)}"/></__chat>` +
        `<link uid="${escape(phone.uid)}" type="a-f-G-U-C" relation="p-p"/>` +
        `<remarks source="BAO.F.ATAK.${escape(phone.uid)}" to="${escape(roomId)}" time="${new Date(time).toISOString()}">${escape(text)}</remarks>`,
    };
  }

  /** A UUID-shaped message id, from the seed (ATAK uses random UUIDs). */
  private messageId(): string {
    const hex = (digits: number) => Array.from({ length: digits }, () => this.random.int(0, 15).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  }
}

/** What a phone says in GeoChat when its tasking moves on (the operators read French). */
export const ACK_CHAT: Record<'en-route' | 'on-scene' | 'cleared', string> = {
  'en-route': 'En route',
  'on-scene': 'Sur zone',
  cleared: 'Terminé, retour en patrouille',
};

const round1 = (value: number) => Math.round(value * 10) / 10;
/** A GPS fix to 1e-7° (about a centimetre), as the XML writes it: the protobuf form then carries the same position. */
const round7 = (value: number) => Math.round(value * 1e7) / 1e7;

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
