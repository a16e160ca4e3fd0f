// A second monitor (issue 15): the alert queue or the incident panel in a
// window of its own. In a browser the pop-out is a second window of the same
// session — window.open copies this window's sessionStorage (the core's
// secret and the session) to it, so it connects and resumes on its own, as
// the same seat — and the two keep one selection over a BroadcastChannel.
// Each window has its own link to the core, so the picture in both is the
// core's, pushed to each. In the desktop app the same window.open becomes a
// second Electron window: the main process allows exactly these two URLs on
// the console's origin, with the console's hardened preferences
// (electron/main/windowPreferences.ts), and denies every other.
import { useConsole } from '../state/store';

export type PopoutKind = 'queue' | 'incident';

const CHANNEL = 'vigie-selection';

/** Which panel this window shows alone, if it is a pop-out (#popout=queue). */
export function popoutKind(): PopoutKind | null {
  const kind = new URLSearchParams(window.location.hash.slice(1)).get('popout');
  return kind === 'queue' || kind === 'incident' ? kind : null;
}

/** Opens (or brings forward) the pop-out window of a panel. */
export function openPopout(kind: PopoutKind): void {
  window.open(`/#popout=${kind}`, `vigie-${kind}`, 'popup,width=520,height=900');
}

type SelectionMessage = { type: 'ask' } | { type: 'selection'; alert: string | null; incident: string | null };

/** Keeps the selected alert and incident the same in every window of this console; a new window asks the others for theirs. */
export function shareSelection(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  const tell = () => {
    const { selectedAlert: alert, selectedIncident: incident } = useConsole.getState();
    channel.postMessage({ type: 'selection', alert, incident } satisfies SelectionMessage);
  };
  let applying = false;
  channel.onmessage = (message: MessageEvent<SelectionMessage>) => {
    if (message.data.type === 'ask') {
      if (useConsole.getState().selectedIncident !== null || useConsole.getState().selectedAlert !== null) tell();
      return;
    }
    const { alert, incident } = message.data;
    const state = useConsole.getState();
    applying = true;
    if (state.selectedAlert !== alert && alert !== null) state.selectAlert(alert);
    if (state.selectedIncident !== incident) state.selectIncident(incident);
    applying = false;
  };
  useConsole.subscribe((state, previous) => {
    if (applying || (state.selectedAlert === previous.selectedAlert && state.selectedIncident === previous.selectedIncident)) return;
    tell();
  });
  channel.postMessage({ type: 'ask' } satisfies SelectionMessage);
}
