// The neighbouring posts' units and open incidents (issue 16 item 4;
// docs/federation.md#neighbours), as the core keeps them from the centre's
// digests: read-only, in a store of their own — nothing here can be
// selected, assigned or dispatched.
import { create } from 'zustand';
import type { NeighbourView } from '../../shared/contract';
import { callCore } from '../core/activeClient';
import type { CoreClient } from '../core/coreClient';

export const useNeighbours = create<{ neighbours: NeighbourView[]; replace(neighbours: NeighbourView[]): void }>()((set) => ({
  neighbours: [],
  replace: (neighbours) => set({ neighbours }),
}));

/** Called once connected: every change the core pushes replaces the lot (a few posts, a few dozen units). */
export function watchNeighbours(client: CoreClient): void {
  client.on('neighbours.changed', (event) => useNeighbours.getState().replace(event.neighbours));
}

export async function loadNeighbours(): Promise<void> {
  useNeighbours.getState().replace((await callCore('neighbours.get', {})).neighbours);
}
