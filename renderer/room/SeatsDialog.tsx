// The supervisor's view of the control room (issue 15; docs/room.md): every
// seat that asked to join over the room address, who is signed in at each,
// admitting a seat by the code it shows, and revoking one. Kept current by
// the core's `seats.changed` push.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { SeatView } from '../../shared/contract';
import { activeClient, callCore } from '../core/activeClient';
import { describeFailureNow } from '../i18n/refusals';
import { useT } from '../i18n/useT';
import { useModalDialog } from '../shell/useModalDialog';

export function SeatsDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  const titleId = useId();
  const { dialog, initialFocus: codeField, onKeyDown, onCancel } = useModalDialog<HTMLInputElement>(onClose);
  const [seats, setSeats] = useState<SeatView[] | null>(null);
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'done'; text: string } | null>(null);

  const reload = useCallback(() => {
    callCore('seat.list', {}).then(
      ({ seats: list }) => setSeats(list),
      (error: unknown) => setMessage({ kind: 'error', text: describeFailureNow(error) }),
    );
  }, []);
  useEffect(() => {
    reload();
    return activeClient()?.on('seats.changed', reload);
  }, [reload]);

  const act = async (action: () => Promise<SeatView>, done: (seat: SeatView) => string) => {
    setMessage(null);
    try {
      const seat = await action();
      setMessage({ kind: 'done', text: done(seat) });
      reload();
    } catch (error) {
      setMessage({ kind: 'error', text: describeFailureNow(error) });
    }
  };
  const admit = (seatCode: string) =>
    act(
      () => callCore('seat.admit', { code: seatCode }),
      // Two supervisors, one code: the second is told who admitted it.
      (seat) => t('seats.admitted', { code: seat.code, by: seat.admittedBy ?? '' }),
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void admit(code.trim()).then(() => setCode(''));
  };

  return (
    <dialog
      ref={dialog}
      className="seats-dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onCancel={onCancel}
      data-testid="seats-dialog"
    >
      <h2 id={titleId}>{t('seats.title')}</h2>
      <form onSubmit={submit} className="seats-admit">
        <label>
          {t('seats.codeField')}
          <input
            ref={codeField}
            value={code}
            onChange={(event) => setCode(event.target.value)}
            placeholder="K7P-3QX"
            maxLength={7}
            required
            autoComplete="off"
            data-testid="seat-code-field"
          />
        </label>
        <button type="submit" data-testid="seat-admit">
          {t('seats.admit')}
        </button>
      </form>
      {message ? (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'dispatch-message' : 'muted'} data-testid="seats-message">
          {message.text}
        </p>
      ) : null}
      {seats === null ? (
        <p className="muted">{t('seats.loading')}</p>
      ) : seats.length === 0 ? (
        <p className="muted">{t('seats.none')}</p>
      ) : (
        <table className="seats-table" data-testid="seats-table">
          <thead>
            <tr>
              <th scope="col">{t('seats.code')}</th>
              <th scope="col">{t('seats.state')}</th>
              <th scope="col">{t('seats.address')}</th>
              <th scope="col">{t('seats.who')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('seats.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {seats.map((seat) => (
              <tr key={seat.id} data-seat={seat.id} data-code={seat.code} data-state={seat.state}>
                <td className="mono">{seat.code}</td>
                <td>
                  {t(`seats.state.${seat.state}`)}
                  {seat.admittedBy && seat.state === 'admitted' ? <span className="muted"> · {seat.admittedBy}</span> : null}
                </td>
                <td className="mono" title={seat.label}>
                  {seat.address}
                </td>
                <td data-testid="seat-who">{seat.signedIn.map((who) => `${who.name} (${t(`role.${who.role}`)})`).join(', ') || '—'}</td>
                <td>
                  {seat.state === 'pending' ? (
                    <button type="button" onClick={() => void admit(seat.code)}>
                      {t('seats.admit')}
                    </button>
                  ) : null}
                  {seat.state !== 'revoked' ? (
                    <button
                      type="button"
                      onClick={() =>
                        void act(
                          () => callCore('seat.revoke', { seat: seat.id }),
                          (done) => t('seats.revoked', { code: done.code }),
                        )
                      }
                      data-testid="seat-revoke"
                    >
                      {t('seats.revoke')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t('seats.close')}
        </button>
      </div>
    </dialog>
  );
}
