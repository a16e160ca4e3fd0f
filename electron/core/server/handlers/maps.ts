// Map packs (issue 6), answered by the core's MapRegistry. A pack problem the
// operator caused (a bad file picked, an unknown id) is a refusal carrying
// the file's problem code, which the console words.
import path from 'node:path';
import { PackError } from '../../maps/pack';
import type { MapRegistry } from '../../maps/registry';
import { Refusal } from '../../refusal';
import type { HandlersOf } from './common';

async function refusing<T>(file: string, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PackError) throw new Refusal('map-pack-problem', { problem: error.code, file }, error.message);
    throw error;
  }
}

export function createMapHandlers(registry: MapRegistry): HandlersOf<'maps.'> {
  return {
    'maps.list': () => registry.list(),
    'maps.open': ({ path: file }) => refusing(path.basename(file), async () => ({ pack: await registry.open(file) })),
    'maps.forget': ({ id }) => refusing(id, async () => ({ forgotten: await registry.forget(id) })),
    'maps.choose': ({ id }) => refusing(id ?? '', () => ({ chosen: registry.choose(id) })),
  };
}
