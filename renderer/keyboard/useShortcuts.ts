// Binds the shortcuts table on the window. While a modal dialog is open only
// the help key works (it closes the help); the dialog handles its own keys.
import { useEffect, useLayoutEffect, useRef } from 'react';
import { isTypingTarget, shortcutFor, type ShortcutHandlers } from './shortcuts';

export function useShortcuts(handlers: ShortcutHandlers, { modalOpen }: { modalOpen: boolean }): void {
  // The listener is installed once; it always calls the latest handlers.
  const latest = useRef({ handlers, modalOpen });
  useLayoutEffect(() => {
    latest.current = { handlers, modalOpen };
  });

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || event.repeat || isTypingTarget(event.target)) return;
      const action = shortcutFor(event);
      if (action === null) return;
      if (latest.current.modalOpen && action !== 'toggle-help') return;
      event.preventDefault();
      latest.current.handlers[action](event.key);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
