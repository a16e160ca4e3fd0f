// The status strip: product, link to the core, and the state of the log.
import { useConsole } from '../state/store';

const connectionText = {
  connecting: 'Connecting to the core…',
  open: 'Core connected',
  closed: 'Core unreachable — retrying',
  unauthorized: 'Wrong or missing secret: open the address printed by `vigie serve`',
  incompatible: 'This console does not match the core version',
} as const;

export function TopBar() {
  const connection = useConsole((state) => state.connection);
  const version = useConsole((state) => state.coreVersion);
  const log = useConsole((state) => state.log);
  const trackCount = useConsole((state) => state.trackCount);
  const unitsWithFix = useConsole((state) => state.units.filter((unit) => unit.lat !== null).length);
  const alertCount = useConsole((state) => state.alerts.length);
  return (
    <header className="top-bar">
      <h1 className="brand">
        Vigie <span className="brand-sub">Côte d'Opale</span>
      </h1>
      <div className={`status status-${connection}`} role="status" data-testid="connection-status">
        <span className="dot" aria-hidden="true" />
        {connectionText[connection]}
        {version ? <span className="muted"> · core {version}</span> : null}
      </div>
      <div className="status" data-testid="picture-counts">
        Tracks {trackCount} · Units {unitsWithFix} · Alerts {alertCount}
      </div>
      <div className="status" data-testid="log-status" title={log ? `head ${log.headHash}` : undefined}>
        {log ? `Log: ${log.events.toLocaleString('en-GB')} events · head ${log.headHash.slice(0, 12)}…` : 'Log: —'}
      </div>
    </header>
  );
}
