// The alert sounds switch in the top bar (U). Muting is a logged action in
// the core; the choice is remembered by this console.
import { toggleMute } from '../dispatch/actions';
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';

export function MuteToggle() {
  const t = useT();
  const muted = useConsole((state) => state.muted);
  return (
    <button
      type="button"
      className={`mute-button${muted ? ' muted-on' : ''}`}
      aria-pressed={muted}
      title={`${t('mute.label')} (U)`}
      onClick={() => void toggleMute()}
      data-testid="mute-toggle"
    >
      {/* The visible words are the accessible name (pressed = muted); the key is decoration. */}
      {muted ? t('mute.on') : t('mute.off')} <kbd aria-hidden="true">U</kbd>
    </button>
  );
}
