// What a console shows before anyone is signed in: the sign-in form, or on a
// new post the form that creates the first supervisor (there is no default
// account). Properly labelled fields; the core's refusal is read out.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { describeFailure } from '../i18n/refusals';
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';
import { createFirstSupervisor, signIn } from './session';
import { SeatWaiting } from '../room/SeatWaiting';

export function AccessScreen() {
  const t = useT();
  const access = useConsole((state) => state.access);
  const connection = useConsole((state) => state.connection);
  const firstRun = access === 'first-run';
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameField = useRef<HTMLInputElement>(null);
  useEffect(() => nameField.current?.focus(), [access]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (firstRun && password !== confirm) return setError(t('access.mismatch'));
    setBusy(true);
    setError(null);
    try {
      await (firstRun ? createFirstSupervisor(name.trim(), password) : signIn(name.trim(), password));
    } catch (failure) {
      setError(describeFailure(t, failure));
      setPassword('');
      setConfirm('');
    } finally {
      setBusy(false);
    }
  };

  // A seat on the room address that a supervisor has not admitted yet (issue 15): only its code.
  if (connection === 'seat-waiting') return <SeatWaiting />;
  if (access === 'unknown') {
    return (
      <main className="access-screen" aria-busy="true">
        <p className="muted">{connection === 'open' ? t('access.checking') : t('connection.connecting')}</p>
      </main>
    );
  }
  return (
    <main className="access-screen">
      <form
        className="access-form"
        onSubmit={(event) => void submit(event)}
        aria-labelledby="access-title"
        data-testid={firstRun ? 'first-run-form' : 'sign-in-form'}
      >
        <h2 id="access-title">{firstRun ? t('access.firstRunTitle') : t('access.signInTitle')}</h2>
        {firstRun ? <p className="muted">{t('access.firstRunText')}</p> : null}
        <label>
          {t('access.name')}
          <input
            ref={nameField}
            name="username"
            autoComplete="username"
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            maxLength={64}
          />
        </label>
        <label>
          {t('access.password')}
          <input
            type="password"
            name="password"
            autoComplete={firstRun ? 'new-password' : 'current-password'}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
            maxLength={1024}
          />
        </label>
        {firstRun ? (
          <label>
            {t('access.confirm')}
            <input
              type="password"
              name="confirm"
              autoComplete="new-password"
              value={confirm}
              onChange={(event) => setConfirm(event.target.value)}
              required
              maxLength={1024}
            />
          </label>
        ) : null}
        {error ? (
          <p className="access-error" role="alert" data-testid="access-error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy || connection !== 'open'}>
          {firstRun ? t('access.create') : t('access.signIn')}
        </button>
      </form>
    </main>
  );
}
