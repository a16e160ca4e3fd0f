// The desktop app's Settings window (issue 15): run this machine's own post
// (and its room address, `--room`), or join a post at HOST:PORT as a seat, and
// the post certificates pinned so far. Served by the Electron main process on
// vigie://settings/ and talking to it only through `window.vigieSettings`
// (electron/main/settingsPreload.ts), which checks everything again.
import { useEffect, useState, type FormEvent } from 'react';
import { normaliseFingerprint, type DesktopSettings, type PostPin, type SettingsView, type VigieSettingsBridge } from '../../shared/desktopSettings';
import { parseHostPort } from '../../shared/hostPort';
import type { Translator } from '../i18n/translate';

type Status = { kind: 'idle' } | { kind: 'saved' } | { kind: 'refused'; problem: string };

/** The form's fields as typed, turned into settings, or the first problem with them. */
export function settingsFromForm(
  form: { mode: 'own' | 'join'; room: string; joinAddress: string; fingerprint: string },
  t: Translator,
): { settings: DesktopSettings } | { problem: string } {
  const room = form.room.trim();
  if (form.mode === 'own') {
    if (room !== '' && !parseHostPort(room)) return { problem: t('settings.badAddress') };
    return { settings: { mode: 'own', room: room === '' ? null : room, join: null } };
  }
  const address = form.joinAddress.trim();
  if (!parseHostPort(address)) return { problem: t('settings.badAddress') };
  const typed = form.fingerprint.trim();
  const fingerprint = typed === '' ? null : normaliseFingerprint(typed);
  if (typed !== '' && fingerprint === null) return { problem: t('settings.badFingerprint') };
  // The room address is kept while joining, so switching back to the own post finds it again.
  return { settings: { mode: 'join', room: room === '' || !parseHostPort(room) ? null : room, join: { address, fingerprint } } };
}

export function SettingsPage({ bridge, t }: { bridge: VigieSettingsBridge; t: Translator }) {
  const [view, setView] = useState<SettingsView | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [mode, setMode] = useState<'own' | 'join'>('own');
  const [room, setRoom] = useState('');
  const [joinAddress, setJoinAddress] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const [pins, setPins] = useState<PostPin[]>([]);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  useEffect(() => {
    bridge.load().then(
      (loaded) => {
        setView(loaded);
        setMode(loaded.settings.mode);
        setRoom(loaded.settings.room ?? '');
        setJoinAddress(loaded.settings.join?.address ?? '');
        setFingerprint(loaded.settings.join?.fingerprint ?? '');
        setPins(loaded.pins);
      },
      (error: unknown) => setLoadProblem(error instanceof Error ? error.message : String(error)),
    );
  }, [bridge]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = settingsFromForm({ mode, room, joinAddress, fingerprint }, t);
    if ('problem' in checked) return setStatus({ kind: 'refused', problem: checked.problem });
    // Shown as it is kept: the fingerprint as the post prints it.
    if (checked.settings.join) setFingerprint(checked.settings.join.fingerprint ?? '');
    const result = await bridge.save(checked.settings);
    setStatus(result.saved ? { kind: 'saved' } : { kind: 'refused', problem: result.problem });
  };

  if (loadProblem !== null)
    return (
      <main className="settings">
        <h1>{t('settings.title')}</h1>
        <p className="settings-problem" role="alert" data-testid="settings-load-problem">
          {t('settings.loadFailed', { problem: loadProblem })}
        </p>
      </main>
    );
  if (view === null) return <main className="settings" aria-busy="true" />;

  return (
    <main className="settings" data-testid="settings-page">
      <h1>{t('settings.title')}</h1>
      <p className="muted">{t('settings.intro')}</p>
      {view.commandLine !== null ? (
        <p className="settings-note" data-testid="settings-command-line">
          {t('settings.commandLine', { flags: view.commandLine })}
        </p>
      ) : null}
      <form onSubmit={(event) => void submit(event)} onChange={() => setStatus({ kind: 'idle' })}>
        <fieldset>
          <legend>{t('settings.modeLegend')}</legend>
          <label className="settings-choice">
            <input type="radio" name="mode" value="own" checked={mode === 'own'} onChange={() => setMode('own')} data-testid="settings-mode-own" />
            {t('settings.modeOwn')}
          </label>
          {mode === 'own' ? (
            <div className="settings-detail">
              <label htmlFor="settings-room">{t('settings.roomLabel')}</label>
              <input
                id="settings-room"
                value={room}
                onChange={(event) => setRoom(event.target.value)}
                placeholder="192.168.10.5:8443"
                spellCheck={false}
                autoComplete="off"
              />
              <p className="muted">{t('settings.roomHint')}</p>
              {view.room ? (
                <p className="settings-note" data-testid="settings-room-announced">
                  {t('settings.roomAnnounced', { url: view.room.url, fingerprint: view.room.fingerprint })}
                </p>
              ) : null}
            </div>
          ) : null}
          <label className="settings-choice">
            <input type="radio" name="mode" value="join" checked={mode === 'join'} onChange={() => setMode('join')} data-testid="settings-mode-join" />
            {t('settings.modeJoin')}
          </label>
          {mode === 'join' ? (
            <div className="settings-detail">
              <label htmlFor="settings-join">{t('settings.joinLabel')}</label>
              <input
                id="settings-join"
                value={joinAddress}
                onChange={(event) => setJoinAddress(event.target.value)}
                placeholder="192.168.10.5:8443"
                spellCheck={false}
                autoComplete="off"
                required
              />
              <label htmlFor="settings-fingerprint">{t('settings.fingerprintLabel')}</label>
              <input
                id="settings-fingerprint"
                className="fingerprint"
                value={fingerprint}
                onChange={(event) => setFingerprint(event.target.value)}
                placeholder="AA:BB:…"
                spellCheck={false}
                autoComplete="off"
              />
              <p className="muted">{t('settings.fingerprintHint')}</p>
            </div>
          ) : null}
        </fieldset>
        <div className="settings-actions">
          <button type="submit" className="primary" data-testid="settings-save">
            {t('settings.save')}
          </button>
          {status.kind === 'saved' ? (
            <>
              <span role="status" data-testid="settings-saved">
                {t('settings.saved')}
              </span>
              <button type="button" onClick={() => void bridge.restart()} data-testid="settings-restart">
                {t('settings.restart')}
              </button>
            </>
          ) : null}
          {status.kind === 'refused' ? (
            <span className="settings-problem" role="alert" data-testid="settings-problem">
              {t('settings.refused', { problem: status.problem })}
            </span>
          ) : null}
        </div>
      </form>

      <section aria-labelledby="settings-pins-title">
        <h2 id="settings-pins-title">{t('settings.pinsTitle')}</h2>
        {pins.length === 0 ? (
          <p className="muted" data-testid="settings-no-pins">
            {t('settings.pinsNone')}
          </p>
        ) : (
          <table data-testid="settings-pins">
            <thead>
              <tr>
                <th scope="col">{t('settings.pinAddress')}</th>
                <th scope="col">{t('settings.pinFingerprint')}</th>
                <th scope="col">{t('settings.pinWhen')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('settings.forget')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pins.map((pin) => (
                <tr key={pin.address} data-address={pin.address}>
                  <td>{pin.address}</td>
                  <td className="fingerprint">{pin.fingerprint}</td>
                  <td>{t.dateTime(Date.parse(pin.pinnedAt))}</td>
                  <td>
                    <button type="button" onClick={() => void bridge.forgetPin(pin.address).then(setPins)} data-testid="settings-forget">
                      {t('settings.forget')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="muted">{t('settings.forgetHint')}</p>
      </section>
      <p className="muted settings-file">{t('settings.file', { file: view.file })}</p>
    </main>
  );
}
