// Closing an incident: the outcome is required (radio group), notes are
// free text. Enter submits (except in the notes, where it is a new line),
// Escape cancels; the focus goes back to where the operator was.
import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Outcome } from '../../shared/domain';
import { closeIncident } from '../dispatch/actions';
import { useT } from '../i18n/useT';
import { useModalDialog } from './useModalDialog';

export function CloseIncidentDialog({ incident, onCancel }: { incident: string; onCancel(): void }) {
  const t = useT();
  const titleId = useId();
  // Back where the operator was; the queue if that is gone (the incident panel closes with the incident).
  const modal = useModalDialog<HTMLInputElement>(onCancel, 'alerts');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [notes, setNotes] = useState('');
  const [missing, setMissing] = useState(false);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!outcome) return setMissing(true);
    void closeIncident(outcome, notes.trim());
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (modal.onKeyDown(event)) return;
    if (event.key === 'Enter' && !(event.target instanceof HTMLTextAreaElement) && !(event.target instanceof HTMLButtonElement)) {
      // Radios do not submit a form on Enter by themselves.
      event.preventDefault();
      submit();
    }
  };

  return (
    <dialog
      ref={modal.dialog}
      className="close-dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onCancel={modal.onCancel}
      data-testid="close-dialog"
    >
      <form onSubmit={submit}>
        <h2 id={titleId}>{t('close.title', { id: incident })}</h2>
        <fieldset>
          <legend>{t('close.outcome')}</legend>
          {Outcome.options.map((option, index) => (
            <label key={option} className="outcome-option">
              <input
                type="radio"
                name="outcome"
                value={option}
                ref={index === 0 ? modal.initialFocus : undefined}
                checked={outcome === option}
                onChange={() => {
                  setOutcome(option);
                  setMissing(false);
                }}
              />
              {t(`outcome.${option}`)}
            </label>
          ))}
        </fieldset>
        {missing ? (
          <p className="form-error" role="alert">
            {t('close.chooseOutcome')}
          </p>
        ) : null}
        <label className="notes-label">
          {t('close.notes')}
          <textarea value={notes} onChange={(event) => setNotes(event.target.value)} rows={4} maxLength={4000} />
        </label>
        <div className="dialog-buttons">
          <button type="button" onClick={onCancel}>
            {t('close.cancel')} <kbd>{t('keys.escape')}</kbd>
          </button>
          <button type="submit" className="primary">
            {t('close.submit')} <kbd>{t('keys.enter')}</kbd>
          </button>
        </div>
      </form>
    </dialog>
  );
}
