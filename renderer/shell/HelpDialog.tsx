// The keyboard help: a modal dialog drawn from the shortcuts table. The
// focus stays inside while it is open (Tab wraps), Escape closes it, and the
// focus goes back to where it was.
import { Fragment, useEffect, useId, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import type { Translator } from '../i18n/translate';
import { useT } from '../i18n/useT';
import { focusRegion } from '../keyboard/focusRegions';
import { SHORTCUT_GROUPS, SHORTCUTS, type KeyCap } from '../keyboard/shortcuts';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function capText(t: Translator, cap: KeyCap): string {
  return typeof cap === 'string' ? cap : t(cap.message);
}

export function HelpDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  const titleId = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!element.open) element.showModal();
    closeButton.current?.focus();
    return () => {
      if (element.open) element.close();
      // Back where the operator was; if that element went away meanwhile, to the map.
      if (previous && previous.isConnected && previous !== document.body) previous.focus();
      else if (!focusRegion('map')) previous?.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key === 'Escape') {
      // Closed here rather than by the browser, so React's state stays the one truth.
      event.preventDefault();
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return event.preventDefault();
    const inside = event.currentTarget.contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  };

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
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
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
