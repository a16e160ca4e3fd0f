// Messages from the regional centre ("request assistance", docs/federation.md#messages-from-the-centre):
// a banner under the top bar for each one not yet acknowledged, with who
// sent it when; Acknowledge logs centre.message.acknowledged, which the
// centre sees in this post's log. Asked of the core every 3 s while someone
// is signed in; nothing is shown at a post without an uplink.
import { useCallback, useEffect, useState } from 'react';
import type { CentreMessageView } from '../../shared/contract';
import { callCore } from '../core/activeClient';
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';

const REFRESH_MS = 3_000;

export function CentreMessages() {
  const t = useT();
  const signedIn = useConsole((state) => state.session !== null);
  const [messages, setMessages] = useState<CentreMessageView[]>([]);

  const refresh = useCallback(
    () =>
      callCore('uplink.centreMessages', {}).then(
        (result) => setMessages(result.messages),
        () => undefined,
      ),
    [],
  );
  useEffect(() => {
    if (!signedIn) return;
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [signedIn, refresh]);

  const waiting = messages.filter((message) => !message.acknowledged);
  if (!signedIn || waiting.length === 0) return null;
  return (
    <section className="centre-messages" aria-label={t('centreMessage.region')} data-testid="centre-messages">
      {waiting.map((message) => (
        <div key={message.m} className="centre-message" role="alert" data-message={message.m}>
          <strong>{t('centreMessage.from')}</strong> <span className="centre-message-text">{message.text}</span>{' '}
          <span className="muted">{t('centreMessage.sent', { time: t.dateTime(message.sentAt) })}</span>{' '}
          <button type="button" onClick={() => void callCore('uplink.acknowledgeMessage', { m: message.m }).then(refresh, () => undefined)}>
            {t('centreMessage.acknowledge')}
          </button>
        </div>
      ))}
    </section>
  );
}
