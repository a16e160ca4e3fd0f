// GeoChat (docs/tak.md#geochat): the messages, an operator writing to a unit,
// a team or All Chat Rooms, linking a message to an incident, and the
// messages at a replayed moment. Sending logs chat.sent under the operator's
// name first (the log is the truth), then writes the GeoChat on each
// recipient's own connection.
import { randomUUID } from 'node:crypto';
import type { ChatMessages } from '../../chat/chatMessages';
import { planChat, type ChatParts } from '../../chat/geoChatSend';
import { cotId } from '../../feeds/cot/cotId';
import { encodeGeoChat } from '../../feeds/cot/encodeGeoChat';
import { openIncident } from '../../incidents/incidents';
import { Refusal } from '../../refusal';
import { consoleAction, type AppendToLog, type HandlersOf } from './common';

export interface ChatContext {
  chat: ChatMessages;
  chatParts: ChatParts;
  /** Vigie's own identity in the TAK network (the sender of every operator's message). */
  chatSender: { uid: string; callsign: string };
  /** `host:port:tcp` of the CoT stream listener, for __serverdestination; undefined without feeds. */
  chatDestination: () => string | undefined;
  append: AppendToLog;
  clock: { now(): number };
}

export function createChatHandlers({ chat, chatParts, chatSender, chatDestination, append, clock }: ChatContext): HandlersOf<'chat.'> {
  return {
    'chat.list': ({ limit }) => ({ messages: chat.list(limit) }),

    'chat.send': ({ to, text }, caller) => {
      const plan = planChat(chatParts, to);
      const messageId = randomUUID();
      const id = cotId(messageId);
      append([
        consoleAction(
          'chat.sent',
          {
            m: id,
            to: plan.to,
            room: plan.roomName,
            rid: plan.roomId,
            text,
            d: plan.recipients.map((r) => r.device),
            ...(plan.mesh ? { mesh: 1 as const } : {}),
          },
          caller,
        ),
      ]);
      const destination = chatDestination();
      const frame = encodeGeoChat({
        messageId,
        sender: chatSender,
        room: plan.room,
        text,
        now: clock.now(),
        ...(destination !== undefined ? { destination } : {}),
      });
      // One event for all of them; each link frames it as its device expects (XML, or TAK protocol v1 mesh or stream).
      for (const recipient of plan.recipients) recipient.link.send(frame);
      // And to the mesh's chat group, as XML (every ATAK reads it), for the devices Vigie has no connection to.
      if (plan.mesh) chatParts.meshChat?.()?.(frame);
      return { message: id, recipients: plan.recipients.map((r) => r.device) };
    },

    'chat.link': ({ message, incident }, caller) => {
      openIncident(chatParts.picture, incident);
      if (!chat.get(message)) throw new Refusal('message-unknown', { message }, `no chat message ${message}`);
      append([consoleAction('chat.linked', { m: message, inc: incident }, caller)]);
      return {};
    },

    'chat.at': ({ seq, limit }) => ({ messages: chat.at(seq, limit) }),
  };
}
