// The three alert chimes; alertSounds.ts plays them. Always present, so an
// alert arriving early still finds its chime; preloaded only once the base
// map is in (`preload`), so the sounds never slow the map's first load.
import { SEVERITIES, soundUrl } from './alertSounds';

export function SoundBank({ preload }: { preload: boolean }) {
  return (
    <div hidden>
      {SEVERITIES.map((severity) => (
        <audio key={severity} src={soundUrl(severity)} preload={preload ? 'auto' : 'none'} data-sound={severity} data-testid={`sound-${severity}`} />
      ))}
    </div>
  );
}
