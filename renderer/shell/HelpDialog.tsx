// The keyboard help: a modal dialog drawn from the shortcuts table. The
// focus stays inside while it is open (Tab wraps), Escape closes it, and the
// focus goes back to where it was.
import { Fragment, useId, type MouseEvent } from 'react';
import type { Translator } from '../i18n/translate';
import { useT } from '../i18n/useT';
import { SHORTCUT_GROUPS, SHORTCUTS, type KeyCap } from '../keyboard/shortcuts';
import { useModalDialog } from './useModalDialog';

function capText(t: Translator, cap: KeyCap): string {
  return typeof cap === 'string' ? cap : t(cap.message);
}

export function HelpDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  const titleId = useId();
  const { dialog, initialFocus: closeButton, onKeyDown, onCancel } = useModalDialog<HTMLButtonElement>(onClose);

  // A click on the backdrop lands on the <dialog> itself (its content fills it).
  const onClick = (event: MouseEvent<HTMLDialogElement>) => {
    if (event.target === event.currentTarget) onClose();
  };

  return (
    <dialog
      ref={dialog}
      className="help-dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onCancel={onCancel}
      onClose={onClose}
      onClick={onClick}
      data-testid="help-dialog"
    >
      <div className="help-content">
        <header className="help-header">
          <h2 id={titleId}>{t('help.title')}</h2>
          <button type="button" ref={closeButton} className="help-close" onClick={onClose}>
            {t('help.close')} <kbd>{t('keys.escape')}</kbd>
          </button>
        </header>
        <p className="muted help-intro">{t('help.intro')}</p>
        <div className="help-groups">
          {SHORTCUT_GROUPS.map(({ group, title }) => {
            const shortcuts = SHORTCUTS.filter((shortcut) => shortcut.group === group);
            if (shortcuts.length === 0) return null;
            return (
              <section key={group} className="help-group" aria-label={t(title)}>
                <h3>{t(title)}</h3>
                <dl>
                  {shortcuts.map((shortcut) => (
                    <Fragment key={shortcut.description}>
                      <dt>
                        {shortcut.caps.map((combo, index) => (
                          <Fragment key={index}>
                            {index > 0 ? <span className="muted"> {t('help.or')} </span> : null}
                            {combo.map((cap, capIndex) => (
                              <kbd key={capIndex}>{capText(t, cap)}</kbd>
                            ))}
                          </Fragment>
                        ))}
                      </dt>
                      <dd>{t(shortcut.description)}</dd>
                    </Fragment>
                  ))}
                </dl>
              </section>
            );
          })}
        </div>
      </div>
    </dialog>
  );
}
