// Enters replay mode from the side panel (the H key does the same).
import { useT } from '../i18n/useT';
import { enterReplay } from './replayMode';

export function ReplayButton() {
  const t = useT();
  return (
    <section className="panel-section replay-launch" aria-label={t('replay.title')}>
      <button type="button" onClick={enterReplay} data-testid="replay-open">
        {t('replay.enter')} <kbd>H</kbd>
      </button>
    </section>
  );
}
