// Who an operator's GeoChat goes to, and how: one unit or device (its own
// connection: the TCP stream it last spoke on, or the mesh sender it came
// from), a team (every device whose __group is that team) or All Chat Rooms
// (every device Vigie can reach). Each device gets the message in the format
// it last used (XML or TAK protocol v1: the link encodes). Pure planning over
// the core's parts; the handler logs the plan, then sends it.
import type { ChatTarget } from '../../../shared/contract';
import type { Site } from '../../../shared/site';
import type { FieldDevices } from '../devices/fieldDevices';
import { cotId } from '../feeds/cot/cotId';
import { ALL_CHAT_ROOMS, roomOf, type GeoChatRoom } from '../feeds/cot/encodeGeoChat';
import type { Outbound, UnitLink } from '../feeds/outbound';
import type { LivePicture } from '../picture/livePicture';
import { Refusal } from '../refusal';

export interface ChatRecipient {
  /** The device id (cotId of its uid) and its uid. */
  device: string;
  uid: string;
  callsign: string;
  link: UnitLink;
}

export interface ChatPlan {
  /** As logged: all, team:<name>, device:<id>, unit:<id>. */
  to: string;
  room: GeoChatRoom;
  roomName: string;
  roomId: string;
  recipients: ChatRecipient[];
  /** All Chat Rooms on a post with a TAK mesh: the message also goes to the mesh's chat group. */
  mesh: boolean;
}

export interface ChatParts {
  site: Site;
  devices: FieldDevices;
  picture: LivePicture;
  outbound: Outbound;
  /** The mesh's chat group (feedServer.ts), when the site has a mesh. */
  meshChat?: () => ((frame: string) => boolean) | undefined;
}

/** A CoT endpoint: a field device (registered or not) or a site-file unit with a CoT terminal. */
interface Endpoint {
  device: string;
  uid: string;
  callsign: string;
  unit: string | undefined;
  team: string | null;
}

function endpoints({ site, devices, picture }: ChatParts): Map<string, Endpoint> {
  const out = new Map<string, Endpoint>();
  for (const unit of site.units)
    if (unit.device.protocol === 'cot')
      out.set(cotId(unit.device.uid), { device: cotId(unit.device.uid), uid: unit.device.uid, callsign: unit.callsign, unit: unit.id, team: null });
  for (const device of devices.list()) {
    if (device.blocked) continue;
    const unitCallsign = device.unit ? picture.units.get(device.unit)?.callsign : undefined;
    out.set(device.id, {
      device: device.id,
      uid: device.uid,
      callsign: unitCallsign ?? device.callsign ?? device.uid,
      unit: device.unit ?? undefined,
      team: device.team,
    });
  }
  return out;
}

function reach(parts: ChatParts, endpoint: Endpoint): ChatRecipient | undefined {
  const link = parts.outbound.cotLinkOf(endpoint.device, endpoint.unit);
  return link ? { device: endpoint.device, uid: endpoint.uid, callsign: endpoint.callsign, link } : undefined;
}

export function planChat(parts: ChatParts, target: ChatTarget): ChatPlan {
  const all = endpoints(parts);
  const plan = (to: string, room: GeoChatRoom, recipients: ChatRecipient[], who: string, mesh = false): ChatPlan => {
    if (recipients.length === 0 && !mesh) throw new Refusal('chat-unreachable', { to: who }, `no open connection to ${who}`);
    const { name, id } = roomOf(room);
    return { to, room, roomName: name, roomId: id, recipients, mesh };
  };
  switch (target.kind) {
    case 'all': {
      const recipients = [...all.values()].flatMap((endpoint) => reach(parts, endpoint) ?? []);
      return plan('all', { kind: 'all' }, recipients, ALL_CHAT_ROOMS, parts.meshChat?.() !== undefined);
    }
    case 'team': {
      const members = [...all.values()].filter((endpoint) => endpoint.team === target.team);
      if (members.length === 0) throw new Refusal('team-unknown', { team: target.team }, `no device is in team ${target.team}`);
      const recipients = members.flatMap((endpoint) => reach(parts, endpoint) ?? []);
      return plan(`team:${target.team}`, { kind: 'team', team: target.team, members: members.map((m) => m.uid) }, recipients, target.team);
    }
    case 'device': {
      const endpoint = all.get(target.device);
      if (!endpoint) throw new Refusal('device-unknown', { device: target.device }, `no device ${target.device} has been heard`);
      const recipient = reach(parts, endpoint);
      return plan(
        `device:${endpoint.device}`,
        { kind: 'direct', uid: endpoint.uid, callsign: endpoint.callsign },
        recipient ? [recipient] : [],
        endpoint.callsign,
      );
    }
    case 'unit': {
      const unit = parts.picture.units.get(target.unit);
      if (!unit) throw new Refusal('unit-unknown', { unit: target.unit }, `no unit ${target.unit}`);
      const endpoint = [...all.values()].find((candidate) => candidate.unit === target.unit);
      if (!endpoint) throw new Refusal('chat-unreachable', { to: unit.callsign }, `unit ${unit.callsign} has no CoT device`);
      const recipient = reach(parts, endpoint);
      return plan(`unit:${target.unit}`, { kind: 'direct', uid: endpoint.uid, callsign: endpoint.callsign }, recipient ? [recipient] : [], unit.callsign);
    }
  }
}
