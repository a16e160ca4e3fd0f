// The contract's map-pack requests (issue 6), answered by the core's
// MapRegistry. A pack problem the operator caused (a bad file picked, an
// unknown id) is a refusal with the file's own message.
import type { RequestName } from '../../../shared/contract';
import { PackError } from '../maps/pack';
import type { MapRegistry } from '../maps/registry';
import { RequestRefused, type Handlers } from './handlers';

type MapRequest = Extract<RequestName, `maps.${string}`>;

async function refusing<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PackError) throw new RequestRefused(error.message);
    throw error;
  }
}

export function createMapHandlers(registry: MapRegistry): Pick<Handlers, MapRequest> {
  return {
    'maps.list': () => registry.list(),
    'maps.open': ({ path }) => refusing(async () => ({ pack: await registry.open(path) })),
    'maps.forget': ({ id }) => refusing(async () => ({ forgotten: await registry.forget(id) })),
    'maps.choose': ({ id }) => refusing(() => ({ chosen: registry.choose(id) })),
  };
}
