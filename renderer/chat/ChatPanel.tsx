// GeoChat with the field devices (issue 13): a thread for All Chat Rooms,
// one per team (ATAK's __group) and one per device or unit; an operator
// writes to the thread on screen, sees each message's delivered and read
// receipts, and links a message to the incident on screen. In replay mode it
// shows the messages of the replayed moment. Text is always React text,
// never markup: a device's chat may hold anything.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ChatMessageView, DeviceView } from '../../shared/contract';
import { useT } from '../i18n/useT';
import { useConsole, useShownPicture } from '../state/store';
import { useDevices } from '../devices/deviceStore';
import { linkChat, loadChat, loadChatAt, sendChat } from './chatActions';
import { receiptCounts, useChat } from './chatStore';

interface Thread {
  key: string;
  label: string;
}

export function ChatPanel() {
  const t = useT();
  const live = useChat((state) => state.messages);
  const replayed = useChat((state) => state.replayed);
  const thread = useChat((state) => state.thread);
  const setThread = useChat((state) => state.setThread);
  const failure = useChat((state) => state.message);
  const devices = useDevices((state) => state.devices);
  const units = useShownPicture((picture) => picture.units);
  const replaySeq = useConsole((state) => (state.replay ? state.replay.shownSeq : null));
  const replaying = useConsole((state) => state.replay !== null);
  const selectedIncident = useConsole((state) => state.selectedIncident);
  const canAct = useConsole((state) => state.session?.role === 'operator' || state.session?.role === 'supervisor');
  const [text, setText] = useState('');
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    void loadChat();
  }, []);
  useEffect(() => {
    void loadChatAt(replaying ? (replaySeq ?? 0) : null);
  }, [replaying, replaySeq]);

  const messages = replayed ?? Object.values(live).sort((a, b) => a.seq - b.seq);
  const nameOfDevice = (id: string): string => {
    const device: DeviceView | undefined = devices[id];
    const unit = device?.unit ? units.find((candidate) => candidate.id === device.unit) : undefined;
    return unit?.callsign ?? device?.callsign ?? messages.find((m) => m.device === id && m.callsign)?.callsign ?? id;
  };
  const threads = threadList(messages, Object.values(devices), t('chat.all'), (team) => t('chat.team', { team }), nameOfDevice);
  const shown = messages.filter((message) => message.thread === thread);
  const current = threads.find((candidate) => candidate.key === thread) ?? threads[0]!;

  // The newest message in view, as a chat does.
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [shown.length, thread]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === '') return;
    if (await sendChat(current.key, text)) setText('');
  };

  return (
    <section className="panel-section chat-panel" aria-labelledby="chat-title" data-testid="chat-panel">
      <h2 id="chat-title">{t('chat.title')}</h2>
      <div className="chat-threads" role="group" aria-label={t('chat.threads')}>
        {threads.map((candidate) => {
          const count = messages.filter((m) => m.thread === candidate.key).length;
          return (
            <button
              type="button"
              key={candidate.key}
              aria-pressed={candidate.key === current.key}
              data-thread={candidate.key}
              onClick={() => setThread(candidate.key)}
            >
              {candidate.label}
              {count > 0 ? <span className="muted"> · {count}</span> : null}
            </button>
          );
        })}
      </div>
      {failure ? (
        <p role="alert" className="refusal">
          {failure}
        </p>
      ) : null}
      <ol className="chat-messages" ref={listRef} aria-label={t('chat.thread', { thread: current.label })} aria-live="polite" tabIndex={0}>
        {shown.length === 0 ? <li className="muted">{t('chat.empty')}</li> : null}
        {shown.map((message) => (
          <ChatRow
            key={message.id}
            message={message}
            from={message.direction === 'out' ? t('chat.fromConsole', { operator: message.operator ?? '' }) : nameOfDevice(message.device ?? '')}
            incident={!replaying && canAct ? selectedIncident : null}
          />
        ))}
      </ol>
      {!replaying && canAct ? (
        <form className="chat-form" onSubmit={(event) => void submit(event)}>
          <label className="visually-hidden" htmlFor="chat-text">
            {t('chat.writeTo', { thread: current.label })}
          </label>
          <input
            id="chat-text"
            value={text}
            onChange={(event) => setText(event.target.value)}
            maxLength={4096}
            placeholder={t('chat.writeTo', { thread: current.label })}
            autoComplete="off"
          />
          <button type="submit" disabled={text.trim() === ''}>
            {t('chat.send')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

function ChatRow({ message, from, incident }: { message: ChatMessageView; from: string; incident: string | null }) {
  const t = useT();
  const { delivered, read } = receiptCounts(message);
  return (
    <li className={`chat-message ${message.direction}`} data-message={message.id}>
      <div className="chat-meta muted">
        <strong>{from}</strong> · {t.time(message.time)}
        {message.direction === 'out' ? (
          <span className="chat-receipts" data-testid="chat-receipts" data-read={read} data-delivered={delivered}>
            {' · '}
            {read > 0
              ? t('chat.read', { count: read, total: message.recipients.length })
              : delivered > 0
                ? t('chat.delivered', { count: delivered, total: message.recipients.length })
                : t('chat.sent', { total: message.recipients.length })}
          </span>
        ) : null}
        {message.incident ? <span className="chat-linked"> · {t('chat.linked', { incident: message.incident })}</span> : null}
      </div>
      <div className="chat-text">{message.text}</div>
      {incident && message.incident !== incident ? (
        <button type="button" className="chat-link" onClick={() => void linkChat(message.id, incident)}>
          {t('chat.link', { incident })}
        </button>
      ) : null}
    </li>
  );
}

/** All Chat Rooms first, then the teams, then one thread per device (heard or written to). */
function threadList(
  messages: readonly ChatMessageView[],
  devices: readonly DeviceView[],
  all: string,
  team: (name: string) => string,
  device: (id: string) => string,
): Thread[] {
  const teams = new Set<string>();
  const ids = new Set<string>();
  for (const d of devices) {
    if (d.blocked) continue;
    if (d.team) teams.add(d.team);
    ids.add(d.id);
  }
  for (const message of messages) {
    if (message.thread.startsWith('team:')) teams.add(message.thread.slice(5));
    else if (message.thread.startsWith('device:')) ids.add(message.thread.slice(7));
  }
  return [
    { key: 'all', label: all },
    ...[...teams].sort().map((name) => ({ key: `team:${name}`, label: team(name) })),
    ...[...ids].map((id) => ({ key: `device:${id}`, label: device(id) })).sort((a, b) => a.label.localeCompare(b.label)),
  ];
}
