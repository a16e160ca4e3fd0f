// Who works the incident (issue 15: no double work): the operator who
// acknowledged it, shown to every seat, and handing it over to another
// (logged). The core refuses a name that is not an operator or supervisor.
import { useState, type FormEvent } from 'react';
import { callCore } from '../core/activeClient';
import { describeFailureNow } from '../i18n/refusals';
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';

export function IncidentOwner({ incident, owner, readOnly }: { incident: string; owner: string | null; readOnly: boolean }) {
  const t = useT();
  const me = useConsole((state) => state.session?.name);
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await callCore('incident.transfer', { incident, to: to.trim() });
      setTo('');
    } catch (failure) {
      setError(describeFailureNow(failure));
    }
  };
  return (
    <section aria-label={t('owner.section')} className="incident-owner">
      <p data-testid="incident-owner" data-owner={owner ?? ''}>
        {owner ? t(owner === me ? 'owner.you' : 'owner.someone', { name: owner }) : t('owner.none')}
      </p>
      {readOnly ? null : (
        <form onSubmit={(event) => void submit(event)} className="owner-form">
          <label>
            {t('owner.handOverTo')}
            <input value={to} onChange={(event) => setTo(event.target.value)} required maxLength={64} autoComplete="off" data-testid="owner-field" />
          </label>
          <button type="submit" data-testid="owner-transfer">
            {t('owner.handOver')}
          </button>
        </form>
      )}
      {error ? (
        <p role="alert" className="dispatch-message" data-testid="owner-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
