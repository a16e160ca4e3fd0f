// The alert sounds; alertSounds.ts plays them. Always present, so an alert
// arriving early still finds its chime; preloaded only once the base map is
// in (`preload`), so the sounds never slow the map's first load.
import { SOUNDS, soundUrl } from './alertSounds';

export function SoundBank({ preload }: { preload: boolean }) {
  return (
    <div hidden>
      {SOUNDS.map((sound) => (
        <audio key={sound} src={soundUrl(sound)} preload={preload ? 'auto' : 'none'} data-sound={sound} data-testid={`sound-${sound}`} />
      ))}
    </div>
  );
}
