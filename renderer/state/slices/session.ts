// Who is at the console: nobody yet (sign-in or, on a new post, the first
// supervisor), or a signed-in operator (renderer/session/session.ts).
import type { StateCreator } from 'zustand';
import type { ConsoleState, SessionSlice } from '../shape';

export const createSessionSlice: StateCreator<ConsoleState, [], [], SessionSlice> = (set) => ({
  access: 'unknown',
  session: null,
  setAccess: (access) => set({ access }),
  signedIn: (session) => set({ session, access: 'signed-in' }),
  // Signed out, nothing of the last operator's work stays on screen: no selection, no replay (the next one signs in live).
  signedOut: () =>
    set({
      session: null,
      access: 'sign-in',
      replay: null,
      selectedAlert: null,
      selectedIncident: null,
      ranking: null,
      mergeProposal: null,
      closeDialogOpen: false,
      picked: null,
      following: false,
    }),
});
