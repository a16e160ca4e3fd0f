// The post's uplink to the regional centre (issue 16): its state for the
// status bar, the centre's messages to this post ("request assistance"),
// which an operator acknowledges, and the neighbours it shows.
import type { CentreMessageView, NeighbourView, UplinkView } from '../../../../shared/contract';
import { Refusal } from '../../refusal';
import { consoleAction, type AppendToLog, type HandlersOf } from './common';

export function createFederationHandlers({
  uplink,
  centreMessages,
  neighbours,
  append,
}: {
  uplink: () => UplinkView | null;
  centreMessages: { list(): CentreMessageView[]; get(m: string): CentreMessageView | undefined } | null;
  neighbours: () => NeighbourView[];
  append: AppendToLog;
}): HandlersOf<'uplink.' | 'neighbours.'> {
  return {
    'uplink.status': () => ({ uplink: uplink() }),
    'uplink.centreMessages': () => ({ messages: centreMessages?.list() ?? [] }),
    'uplink.acknowledgeMessage': ({ m }, caller) => {
      const message = centreMessages?.get(m);
      if (!message) throw new Refusal('message-unknown', { message: m }, `no message ${m} from the centre`);
      if (message.acknowledged) return { acknowledged: false };
      append([consoleAction('centre.message.acknowledged', { m }, caller)]);
      return { acknowledged: true };
    },
    'neighbours.get': () => ({ neighbours: neighbours() }),
  };
}
