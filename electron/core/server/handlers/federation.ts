// The post's uplink to the regional centre (issue 16): its state for the status bar, and the neighbours it shows.
import type { NeighbourView, UplinkView } from '../../../../shared/contract';
import type { HandlersOf } from './common';

export function createFederationHandlers({
  uplink,
  neighbours,
}: {
  uplink: () => UplinkView | null;
  neighbours: () => NeighbourView[];
}): HandlersOf<'uplink.' | 'neighbours.'> {
  return {
    'uplink.status': () => ({ uplink: uplink() }),
    'neighbours.get': () => ({ neighbours: neighbours() }),
  };
}
