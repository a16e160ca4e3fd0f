// The chat panel's requests: list, send to a thread, link to an incident, and
// the messages at a replayed moment. A refusal is worded from its reason in
// the operator's language.
import type { ChatTarget } from '../../shared/contract';
import type { CoreClient } from '../core/coreClient';
import { callCore } from '../core/activeClient';
import { describeFailureNow } from '../i18n/refusals';
import { useChat } from './chatStore';

/** Called once connected: pushed messages go to the store. */
export function watchChat(client: CoreClient): void {
  client.on('chat.changed', (event) => useChat.getState().apply(event.messages));
}

export async function loadChat(): Promise<void> {
  try {
    useChat.getState().replaceAll((await callCore('chat.list', { limit: 1000 })).messages);
  } catch (error) {
    useChat.getState().setMessage(describeFailureNow(error));
  }
}

/** The messages as they stood at a replayed log position (null leaves replay). */
export async function loadChatAt(seq: number | null): Promise<void> {
  if (seq === null) return useChat.getState().setReplayed(null);
  try {
    useChat.getState().setReplayed((await callCore('chat.at', { seq, limit: 1000 })).messages);
  } catch (error) {
    useChat.getState().setMessage(describeFailureNow(error));
  }
}

/** The thread's addressee: All Chat Rooms, a team, or one device. */
export function targetOf(thread: string): ChatTarget {
  if (thread.startsWith('team:')) return { kind: 'team', team: thread.slice(5) };
  if (thread.startsWith('device:')) return { kind: 'device', device: thread.slice(7) };
  return { kind: 'all' };
}

async function act(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    useChat.getState().setMessage(null);
    return true;
  } catch (error) {
    useChat.getState().setMessage(describeFailureNow(error));
    return false;
  }
}

export function sendChat(thread: string, text: string): Promise<boolean> {
  return act(() => callCore('chat.send', { to: targetOf(thread), text }));
}

export function linkChat(message: string, incident: string): Promise<boolean> {
  return act(() => callCore('chat.link', { message, incident }));
}
