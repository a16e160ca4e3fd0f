// "Request assistance": the centre writes to one post; the message goes
// through NATS (kept until the post reads it) and is logged at both. The
// list says, per message, whether the post logged it and who acknowledged it.
import { useState } from 'react';
import type { CentreSentMessage } from '../../shared/contract';
import { sendMessage } from './centreApi';
import type { CentreT } from './messages';

export function RequestAssistance({
  token,
  posts,
  sent,
  onSent,
  t,
  language,
}: {
  token: string;
  posts: string[];
  sent: CentreSentMessage[];
  onSent(): void;
  t: CentreT;
  language: string;
}) {
  const [post, setPost] = useState('');
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [sending, setSending] = useState(false);
  const chosen = posts.includes(post) ? post : (posts[0] ?? '');
  const time = (at: number) => new Date(at).toLocaleTimeString(language);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setSending(true);
    try {
      await sendMessage(token, chosen, text);
      setText('');
      setOutcome({ ok: true, text: t('message.sent', { post: chosen }) });
      onSent();
    } catch (error) {
      setOutcome({ ok: false, text: t('message.failed', { reason: (error as Error).message }) });
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="centre-request" aria-labelledby="centre-request-title">
      <h2 id="centre-request-title">{t('message.title')}</h2>
      <form onSubmit={(event) => void submit(event)}>
        <label>
          {t('message.post')}{' '}
          <select value={chosen} onChange={(event) => setPost(event.target.value)} disabled={posts.length === 0}>
            {posts.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="centre-request-text">
          {t('message.text')}
          <textarea value={text} onChange={(event) => setText(event.target.value)} rows={3} maxLength={2000} />
        </label>
        <button type="submit" disabled={sending || !chosen || text.trim() === ''}>
          {t('message.send')}
        </button>
        {outcome && (
          <p role="status" className={outcome.ok ? 'muted' : 'bad'}>
            {outcome.text}
          </p>
        )}
      </form>
      <ul className="centre-sent">
        {sent.map((message) => (
          <li
            key={message.m}
            data-message={message.m}
            data-post={message.post}
            data-state={message.acknowledged ? 'acknowledged' : message.received ? 'received' : 'sent'}
          >
            <span className="post-tag">{message.post}</span> {message.text}
            <div className="muted">
              {message.acknowledged
                ? t('message.acknowledged', { sent: time(message.at), by: message.acknowledged.by, time: time(message.acknowledged.at) })
                : message.received
                  ? t('message.received', { sent: time(message.at), time: time(message.received) })
                  : t('message.waiting', { sent: time(message.at) })}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
