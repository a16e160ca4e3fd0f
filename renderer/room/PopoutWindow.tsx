// A panel popped out onto a second monitor (issue 15): the alert queue or
// the incident panel alone, with the status strip, kept in step with the
// main window (room/popout.ts). The queue's keys work here as in the console.
import { useT } from '../i18n/useT';
import { AlertQueue } from '../shell/AlertQueue';
import { IncidentPanel } from '../shell/IncidentPanel';
import { TopBar } from '../shell/TopBar';
import { useConsole } from '../state/store';
import type { PopoutKind } from './popout';

export function PopoutWindow({ kind }: { kind: PopoutKind }) {
  const t = useT();
  const selected = useConsole((state) => state.selectedIncident);
  return (
    <div className="app popout-window" data-testid={`popout-${kind}`}>
      <TopBar />
      <main className="popout-body">
        {kind === 'queue' ? <AlertQueue /> : selected ? <IncidentPanel /> : <p className="muted">{t('popout.noIncident')}</p>}
      </main>
    </div>
  );
}
