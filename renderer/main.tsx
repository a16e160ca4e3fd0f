// Boots the console: finds the core's secret, checks it, connects the typed
// client, asks who is at the console (session/session.ts), and once someone
// is signed in keeps the store in step with the core's picture.
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { checkSecret } from './core/checkSecret';
import { CoreClient } from './core/coreClient';
import { findCoreToken } from './core/coreToken';
import { joinAsSeat, onRoomAddress } from './room/seat';
import { shareSelection } from './room/popout';
import { setActiveClient } from './core/activeClient';
import { refreshRanking } from './dispatch/actions';
import { forgetSession, onSignedIn, resumeOrAsk } from './session/session';
import { saveLanguage } from './i18n/language';
import { announceNewAlerts } from './sound/alertSounds';
import { useConsole } from './state/store';
import { watchDevices } from './devices/deviceActions';
import { loadNeighbours, watchNeighbours } from './map/neighbours';
import { watchChat } from './chat/chatActions';
import './styles.css';

async function connect(): Promise<void> {
  const store = useConsole.getState();
  // On a post's room address (HTTPS, in a browser or in the desktop app joining a post) the console is a seat:
  // admitted once by a supervisor, its token stands for the secret. It never asks the desktop bridge for a core token.
  const token = onRoomAddress() ? await joinAsSeat(store.setSeatWaiting) : await findCoreToken();
  const check = token ? await checkSecret(token) : 'unauthorized';
  if (check === 'unauthorized' || check === 'incompatible') return store.setConnection(check);
  if (!token) return;

  const client = new CoreClient(`${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/ws`, token);
  // A revoked seat is disconnected by the post: start again, asking to join with a new code.
  client.onRevoked(() => window.location.reload());
  setActiveClient(client);
  // The live picture, whole (in replay mode too: it is kept current beside the replayed one).
  const refresh = async () => store.setLivePicture(await client.call('picture.get', {}));
  // Everything but the sign-in needs someone signed in: polls wait for that.
  const live = () => client.state === 'open' && useConsole.getState().session !== null;
  const pollFeeds = () => {
    if (live()) client.call('feeds.status', {}).then(store.setFeeds, () => undefined);
  };
  setInterval(pollFeeds, 2000);
  // High-risk sectors out of reach change as units move: asked every 10 s.
  const pollCoverage = () => {
    if (live()) client.call('coverage.get', {}).then(store.setCoverage, () => undefined);
  };
  setInterval(pollCoverage, 10_000);
  // ETAs change as units move: the open incident's ranking is asked again every 3 s.
  setInterval(() => {
    if (live()) void refreshRanking();
  }, 3000);
  // Signed in (or back after a reconnect): the whole picture, then the polls.
  onSignedIn(() => {
    pollFeeds();
    pollCoverage();
    refresh().catch((error: unknown) => console.error('Vigie: loading the picture failed', error));
    loadNeighbours().catch((error: unknown) => console.error('Vigie: loading the neighbours failed', error));
  });
  client.onSignedOut(forgetSession);
  client.onState((state) => {
    store.setConnection(state);
    if (state === 'open') {
      client.call('core.hello', {}).then(
        (hello) => store.setCoreVersion(hello.version),
        () => undefined,
      );
      resumeOrAsk(client).catch((error: unknown) => console.error('Vigie: checking the sign-in failed', error));
    }
  });
  client.on('log.appended', (event) => store.setLog(event.status));
  watchDevices(client); // TAK field devices (issue 13)
  watchChat(client); // GeoChat (issue 13)
  watchNeighbours(client); // neighbouring posts, read-only (issue 16)
  // Sector editor (issue 6): a supervisor's change reaches every console (to its live picture; a replay shows its own moment's sectors).
  client.on('sectors.changed', (event) => store.setLiveSectors(event.sectors));
  client.on('picture.delta', (delta) => {
    // Live changes always go to the live picture, in replay mode too (the replayed picture is shown
    // meanwhile, and the replay bar counts the new alerts); a new live alert sounds either way.
    announceNewAlerts(delta.alerts);
    const apply = () => store.applyLiveDelta(delta);
    // A new alert or incident is rendered now, in this task, rather than after
    // whatever the page has queued (a canvas frame of 2,000 tracks): it is what
    // the operator is waiting for.
    if (delta.alerts.length + delta.incidents.length > 0) flushSync(apply);
    else apply();
  });
}

// <html lang> follows the language on screen (screen readers, hyphenation);
// an operator's choice is remembered, the browser's default is not pinned.
document.documentElement.lang = useConsole.getState().language;
useConsole.subscribe((state, previous) => {
  if (state.language === previous.language) return;
  document.documentElement.lang = state.language;
  saveLanguage(state.language);
});

// The main window and its pop-outs (second monitor) keep one selection.
shareSelection();
createRoot(document.getElementById('root')!).render(<App />);
void connect();
