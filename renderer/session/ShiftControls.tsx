// Who is signed in, on which shift, in the top bar; sign out, or end the
// shift with a handover note (a dialog: the note is required).
import { useId, useState, type FormEvent } from 'react';
import { describeFailure } from '../i18n/refusals';
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';
import { useModalDialog } from '../shell/useModalDialog';
import { endShift, signOut } from './session';

export function ShiftControls() {
  const t = useT();
  const session = useConsole((state) => state.session);
  const [handingOver, setHandingOver] = useState(false);
  if (!session) return null;
  return (
    <div className="shift-controls" data-testid="session-status">
      <span>{t('access.who', { name: session.name, role: t(`role.${session.role}`), shift: session.shift.id })}</span>
      <button type="button" onClick={() => setHandingOver(true)} aria-haspopup="dialog" data-testid="end-shift">
        {t('access.endShift')}
      </button>
      <button type="button" onClick={() => void signOut()} data-testid="sign-out">
        {t('access.signOut')}
      </button>
      {handingOver ? <HandoverDialog onClose={() => setHandingOver(false)} /> : null}
    </div>
  );
}

function HandoverDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  const titleId = useId();
  const { dialog, initialFocus: field, onKeyDown, onCancel } = useModalDialog<HTMLTextAreaElement>(onClose);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (note.trim() === '') return setError(t('access.handoverRequired'));
    try {
      await endShift(note.trim());
    } catch (failure) {
      setError(describeFailure(t, failure));
    }
  };
  return (
    <dialog
      ref={dialog}
      className="close-dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onCancel={onCancel}
      data-testid="handover-dialog"
    >
      <form onSubmit={(event) => void submit(event)}>
        <h2 id={titleId}>{t('access.handoverTitle')}</h2>
        <label className="notes-label">
          {t('access.handover')}
          <textarea ref={field} value={note} onChange={(event) => setNote(event.target.value)} rows={6} maxLength={8000} />
        </label>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            {t('close.cancel')}
          </button>
          <button type="submit" data-testid="confirm-end-shift">
            {t('access.endShiftConfirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
