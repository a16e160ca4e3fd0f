// Opens the figures view from the side panel (the V key does the same).
import { useT } from '../i18n/useT';

export function FiguresButton({ onOpen }: { onOpen(): void }) {
  const t = useT();
  return (
    <section className="panel-section figures-launch" aria-label={t('figures.title')}>
      <button type="button" onClick={onOpen} data-testid="figures-open">
        {t('figures.open')} <kbd>V</kbd>
      </button>
    </section>
  );
}
