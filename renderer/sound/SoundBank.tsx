// The three alert chimes, preloaded once; alertSounds.ts plays them.
import { SEVERITIES, soundUrl } from './alertSounds';

export function SoundBank() {
  return (
    <div hidden>
      {SEVERITIES.map((severity) => (
        <audio key={severity} src={soundUrl(severity)} preload="auto" data-sound={severity} data-testid={`sound-${severity}`} />
      ))}
    </div>
  );
}
