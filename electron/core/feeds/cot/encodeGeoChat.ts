// An operator's GeoChat message as ATAK writes one (b-t-f): the event uid
// `GeoChat.<sender uid>.<room>.<message id>`, `__chat` naming the room and
// sender, `chatgrp` its members (uid0 the sender), a p-p `link` to the
// sender, the text in `remarks`, `__serverdestination` where it came from
// and, for a direct message, TAK Server's `marti dest`. Compared with the
// real captures in test/fixtures/feeds/cot/tak-samples/ (docs/tak.md).
// The outbound link turns it into TAK Protocol v1 when the device spoke that.
import { COT_UNKNOWN } from './parseCotEvent';
import { xmlEscape } from './xml';

/** ATAK's room for everyone. */
export const ALL_CHAT_ROOMS = 'All Chat Rooms';

export type GeoChatRoom =
  | { kind: 'all' }
  /** A team (ATAK's `__group name`, a colour): every member's uid. */
  | { kind: 'team'; team: string; members: readonly string[] }
  /** One device: its uid and callsign (ATAK names a direct room after the contact's callsign). */
  | { kind: 'direct'; uid: string; callsign: string };

export interface GeoChat {
  /** The message id (a UUID, as ATAK's). */
  messageId: string;
  sender: { uid: string; callsign: string };
  room: GeoChatRoom;
  text: string;
  /** Epoch ms. */
  now: number;
  /** `host:port:tcp` of the listener the device reaches Vigie on, for `__serverdestination`. */
  destination?: string;
}

/** How long a chat stays valid on the device: ATAK writes a day. */
const CHAT_STALE_MS = 24 * 3600_000;

/** The room's name and id as `__chat` carries them (a direct room: the contact's callsign and uid). */
export function roomOf(room: GeoChatRoom): { name: string; id: string } {
  switch (room.kind) {
    case 'all':
      return { name: ALL_CHAT_ROOMS, id: ALL_CHAT_ROOMS };
    case 'team':
      return { name: room.team, id: room.team };
    case 'direct':
      return { name: room.callsign, id: room.uid };
  }
}

export function encodeGeoChat(chat: GeoChat): string {
  const { name, id } = roomOf(chat.room);
  const time = new Date(chat.now).toISOString();
  const stale = new Date(chat.now + CHAT_STALE_MS).toISOString();
  const unknown = `${COT_UNKNOWN}.0`;
  const sender = xmlEscape(chat.sender.uid);
  // ATAK's parents: the root contact group for All and direct rooms, TeamGroups for a team's.
  const parent = chat.room.kind === 'team' ? 'TeamGroups' : 'RootContactGroup';
  let members = `uid0="${sender}"`;
  if (chat.room.kind === 'all') members += ` uid1="AllChatRooms"`;
  else if (chat.room.kind === 'direct') members += ` uid1="${xmlEscape(chat.room.uid)}"`;
  else chat.room.members.forEach((member, i) => (members += ` uid${i + 1}="${xmlEscape(member)}"`));
  const to = chat.room.kind === 'direct' ? chat.room.uid : id;
  return (
    `<event version="2.0" uid="GeoChat.${sender}.${xmlEscape(name)}.${xmlEscape(chat.messageId)}" type="b-t-f" how="h-g-i-g-o" time="${time}" start="${time}" stale="${stale}">` +
    `<point lat="0.0" lon="0.0" hae="${unknown}" ce="${unknown}" le="${unknown}"/>` +
    '<detail>' +
    `<__chat parent="${parent}" groupOwner="false" messageId="${xmlEscape(chat.messageId)}" chatroom="${xmlEscape(name)}" id="${xmlEscape(id)}" senderCallsign="${xmlEscape(chat.sender.callsign)}">` +
    `<chatgrp ${members} id="${xmlEscape(id)}"/>` +
    '</__chat>' +
    `<link uid="${sender}" type="a-f-G-U-C" relation="p-p"/>` +
    `<remarks source="BAO.F.ATAK.${sender}" to="${xmlEscape(to)}" time="${time}">${xmlEscape(chat.text)}</remarks>` +
    (chat.destination !== undefined ? `<__serverdestination destinations="${xmlEscape(chat.destination)}:${sender}"/>` : '') +
    (chat.room.kind === 'direct' ? `<marti><dest callsign="${xmlEscape(chat.room.callsign)}"/></marti>` : '') +
    '</detail></event>'
  );
}
