// What every modal dialog of the console does (help, figures, closing an
// incident, the handover): it opens as a real modal (<dialog>.showModal(),
// the console behind it inert), puts the focus on the element the dialog
// names, keeps Tab inside (wrapping), closes on Escape through React state
// rather than by the browser, and on closing gives the focus back to where
// the operator was — or to a region of the console if that element is gone.
import { useEffect, useRef, type KeyboardEvent, type RefObject, type SyntheticEvent } from 'react';
import { focusRegion, type FocusRegion } from '../keyboard/focusRegions';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface ModalDialog<T extends HTMLElement> {
  dialog: RefObject<HTMLDialogElement | null>;
  /** The element focused when the dialog opens. */
  initialFocus: RefObject<T | null>;
  /** Escape and Tab; true when it handled the key (the dialog may handle others). */
  onKeyDown(event: KeyboardEvent<HTMLDialogElement>): boolean;
  /** The browser's own cancel (Escape it saw first): closed through React instead. */
  onCancel(event: SyntheticEvent<HTMLDialogElement>): void;
}

export function useModalDialog<T extends HTMLElement>(onClose: () => void, focusBackTo: FocusRegion = 'map'): ModalDialog<T> {
  const dialog = useRef<HTMLDialogElement>(null);
  const initialFocus = useRef<T>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!element.open) element.showModal();
    initialFocus.current?.focus();
    return () => {
      if (element.open) element.close();
      if (previous && previous.isConnected && previous !== document.body) previous.focus();
      else if (!focusRegion(focusBackTo)) previous?.focus();
    };
  }, [focusBackTo]);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>): boolean => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
      return true;
    }
    if (event.key !== 'Tab') return false;
    const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((element) => !element.hidden);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) {
      event.preventDefault();
      return true;
    }
    const inside = event.currentTarget.contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
    return true;
  };

  const onCancel = (event: SyntheticEvent<HTMLDialogElement>) => {
    event.preventDefault();
    onClose();
  };

  return { dialog, initialFocus, onKeyDown, onCancel };
}
