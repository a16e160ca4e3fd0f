// The post's uplink to the regional centre (issue 16): its state for the status bar.
import type { UplinkView } from '../../../../shared/contract';
import type { HandlersOf } from './common';

export function createFederationHandlers({ uplink }: { uplink: () => UplinkView | null }): HandlersOf<'uplink.'> {
  return {
    'uplink.status': () => ({ uplink: uplink() }),
  };
}
