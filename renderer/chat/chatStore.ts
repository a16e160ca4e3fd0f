// GeoChat on screen (issue 13): the messages the core lists and pushes
// (`chat.changed`), or, in replay mode, those of the replayed moment
// (`chat.at`). Kept apart from the console store: only the chat panel reads it.
import { create } from 'zustand';
import type { ChatMessageView } from '../../shared/contract';

export interface ChatState {
  messages: Record<string, ChatMessageView>;
  /** The replayed moment's messages, while replaying (null when live). */
  replayed: ChatMessageView[] | null;
  /** The thread on screen: all, team:<name>, device:<id>. */
  thread: string;
  /** The last refusal or failure, worded, for the panel. */
  message: string | null;
  replaceAll(messages: ChatMessageView[]): void;
  apply(changed: ChatMessageView[]): void;
  setReplayed(messages: ChatMessageView[] | null): void;
  setThread(thread: string): void;
  setMessage(message: string | null): void;
}

export const useChat = create<ChatState>()((set) => ({
  messages: {},
  replayed: null,
  thread: 'all',
  message: null,
  replaceAll: (messages) => set({ messages: Object.fromEntries(messages.map((m) => [m.id, m])) }),
  apply: (changed) => set((state) => ({ messages: { ...state.messages, ...Object.fromEntries(changed.map((m) => [m.id, m])) } })),
  setReplayed: (replayed) => set({ replayed }),
  setThread: (thread) => set({ thread, message: null }),
  setMessage: (message) => set({ message }),
}));

/** A message's receipts counted: devices that read it, and devices that have it (delivered or read). */
export function receiptCounts(message: ChatMessageView): { delivered: number; read: number } {
  const delivered = new Set<string>();
  const read = new Set<string>();
  for (const receipt of message.receipts) {
    delivered.add(receipt.device);
    if (receipt.state === 'read') read.add(receipt.device);
  }
  return { delivered: delivered.size, read: read.size };
}
