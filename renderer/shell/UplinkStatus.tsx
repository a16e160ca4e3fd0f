// The post's uplink to the regional centre on the status strip (issue 16;
// docs/federation.md): connected, behind by N events, offline since when, or
// refused and why. Asked of the core every 3 s while someone is signed in;
// nothing is shown at a post without an uplink.
import { useEffect, useState } from 'react';
import type { UplinkView } from '../../shared/contract';
import { callCore } from '../core/activeClient';
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';

const REFRESH_MS = 3_000;

export function UplinkStatus() {
  const t = useT();
  const signedIn = useConsole((state) => state.session !== null);
  const [uplink, setUplink] = useState<UplinkView | null>(null);

  useEffect(() => {
    if (!signedIn) return;
    let live = true;
    const refresh = () =>
      callCore('uplink.status', {}).then(
        (result) => live && setUplink(result.uplink),
        () => undefined,
      );
    void refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [signedIn]);

  if (!signedIn || uplink === null) return null;
  const { post } = uplink;
  const text =
    uplink.state === 'connected'
      ? uplink.behind > 0
        ? t('uplink.behind', { post, count: uplink.behind })
        : t('uplink.connected', { post })
      : uplink.state === 'offline'
        ? t('uplink.offline', { post, time: t.dateTime(uplink.since) })
        : uplink.state === 'refused'
          ? t('uplink.refused', { post, time: t.dateTime(uplink.since) })
          : t('uplink.connecting', { post });
  const problem = uplink.problem ? ` — ${t(`uplink.problem.${uplink.problem.code}`)} (${uplink.problem.detail})` : '';
  const className = uplink.state === 'connected' ? 'status-open' : uplink.state === 'connecting' ? 'status-connecting' : 'status-closed';
  return (
    <div
      className={`status ${className}`}
      data-testid="uplink-status"
      data-state={uplink.state}
      data-behind={uplink.behind}
      title={t('uplink.title', { server: uplink.server, acked: t.number(uplink.ackedSeq), last: t.number(uplink.lastSeq) }) + problem}
    >
      <span className="dot" aria-hidden="true" />
      {text}
      {uplink.state !== 'connected' && uplink.behind > 0 ? <span className="muted">{t('uplink.waiting', { count: uplink.behind })}</span> : null}
    </div>
  );
}
