// The status strip: product, link to the core, the state of the log, and
// the operator's language and keyboard help.
import type { PlainMessageKey } from '../i18n/messages';
import { useT } from '../i18n/useT';
import { useConsole, useShownPicture, type ConnectionSlice } from '../state/store';
import { LanguageSwitch } from './LanguageSwitch';
import { MuteToggle } from './MuteToggle';
import { ShiftControls } from '../session/ShiftControls';
import { UplinkStatus } from './UplinkStatus';

const CONNECTION_TEXT: Record<ConnectionSlice['connection'], PlainMessageKey> = {
  connecting: 'connection.connecting',
  open: 'connection.open',
  closed: 'connection.closed',
  unauthorized: 'connection.unauthorized',
  incompatible: 'connection.incompatible',
  'seat-waiting': 'connection.seatWaiting',
};

/** `onHelp` absent: nobody is signed in yet, and only the language can be changed (and About read). `onSeats`: the control room's seats (supervisors). */
export function TopBar({ onHelp, onAbout, onSeats }: { onHelp?: () => void; onAbout?: () => void; onSeats?: () => void }) {
  const t = useT();
  const supervisor = useConsole((state) => state.session?.role === 'supervisor');
  const connection = useConsole((state) => state.connection);
  const version = useConsole((state) => state.coreVersion);
  const log = useConsole((state) => state.log);
  const trackCount = useShownPicture((picture) => picture.trackCount);
  const unitsWithFix = useShownPicture((picture) => picture.units.filter((unit) => unit.lat !== null).length);
  const alertCount = useShownPicture((picture) => picture.alerts.length);
  // Disk full or database locked: the core pauses feed ingest (feeds.status, polled every 2 s; docs/faults.md).
  const storage = useConsole((state) => state.feeds?.storage);
  return (
    <header className="top-bar">
      <h1 className="brand">
        Vigie <span className="brand-sub">{t('brand.region')}</span>
      </h1>
      <div className={`status status-${connection}`} role="status" data-testid="connection-status" data-state={connection}>
        <span className="dot" aria-hidden="true" />
        {t(CONNECTION_TEXT[connection])}
        {version ? <span className="muted">{t('connection.version', { version })}</span> : null}
      </div>
      <div className="status" data-testid="picture-counts">
        {t('counts.line', { tracks: trackCount, units: unitsWithFix, alerts: alertCount })}
      </div>
      <div className="status" data-testid="log-status" title={log ? t('log.headTitle', { hash: log.headHash }) : undefined}>
        {log ? t('log.status', { count: log.events, head: log.headHash.slice(0, 12) }) : t('log.empty')}
      </div>
      <UplinkStatus />
      {storage?.problem ? (
        <div
          className="status status-closed"
          role="alert"
          data-testid="storage-status"
          data-problem={storage.problem}
          title={t('storage.title', { since: new Date(storage.since ?? Date.now()).toLocaleTimeString(), waiting: storage.waiting, refused: storage.refused })}
        >
          <span className="dot" aria-hidden="true" />
          {t(storage.problem === 'disk-full' ? 'storage.diskFull' : 'storage.locked')}
        </div>
      ) : null}
      <div className="top-bar-tools">
        {onSeats && supervisor ? (
          <button type="button" onClick={onSeats} aria-haspopup="dialog" data-testid="seats-button">
            {t('seats.open')}
          </button>
        ) : null}
        {onHelp ? <ShiftControls /> : null}
        {onHelp ? <MuteToggle /> : null}
        <LanguageSwitch />
        {onAbout ? (
          <button
            type="button"
            className="help-button"
            onClick={onAbout}
            aria-haspopup="dialog"
            title={t('about.open')}
            aria-label={t('about.open')}
            data-testid="about-button"
          >
            i
          </button>
        ) : null}
        {onHelp ? (
          <button
            type="button"
            className="help-button"
            onClick={onHelp}
            aria-haspopup="dialog"
            title={t('help.open')}
            aria-label={t('help.open')}
            data-testid="help-button"
          >
            ?
          </button>
        ) : null}
      </div>
    </header>
  );
}
