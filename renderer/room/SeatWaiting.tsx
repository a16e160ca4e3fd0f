// What a seat on the room address shows until a supervisor admits it: the
// code to read out, in large type, and nothing of the post (issue 15).
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';

export function SeatWaiting() {
  const t = useT();
  const code = useConsole((state) => state.seatCode);
  return (
    <main className="access-screen">
      <section className="access-form seat-waiting" aria-labelledby="seat-title" data-testid="seat-waiting">
        <h2 id="seat-title">{t('seat.waitingTitle')}</h2>
        <p>{t('seat.waitingText')}</p>
        <p className="seat-code mono" data-testid="seat-code" aria-label={t('seat.codeLabel', { code: code ?? '' })}>
          {code}
        </p>
        <p className="muted" aria-live="polite">
          {t('seat.waitingPoll')}
        </p>
      </section>
    </main>
  );
}
