// The operator's dispatch work: what is selected, the ranking shown, the
// pending merge question, the close dialog, coverage and the mute switch.
import type { StateCreator } from 'zustand';
import type { ConsoleState, DispatchSlice } from '../shape';

const MUTE_KEY = 'vigie.muted';
function initialMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === 'true';
  } catch {
    return false;
  }
}
function saveMuted(muted: boolean): void {
  try {
    localStorage.setItem(MUTE_KEY, String(muted));
  } catch {
    // Not persisted; the choice holds until the page is reloaded.
  }
}

/** A different incident: its own ranking, no override or message carried over. */
export function incidentSelection(state: DispatchSlice, selectedIncident: string | null): Partial<DispatchSlice> {
  return state.selectedIncident === selectedIncident ? {} : { selectedIncident, ranking: null, override: false, dispatchMessage: null };
}

export const createDispatchSlice: StateCreator<ConsoleState, [], [], DispatchSlice> = (set) => ({
  selectedAlert: null,
  selectedIncident: null,
  ranking: null,
  override: false,
  mergeProposal: null,
  dispatchMessage: null,
  closeDialogOpen: false,
  coverageGaps: [],
  coverageThreshold: 900,
  muted: initialMuted(),
  selectAlert: (selectedAlert) => set({ selectedAlert }),
  selectIncident: (selectedIncident) => set((state) => incidentSelection(state, selectedIncident)),
  // A late answer for an incident no longer shown is dropped.
  setRanking: (incident, ranking) => set((state) => (state.selectedIncident === incident ? { ranking } : {})),
  setOverride: (override) => set({ override }),
  setMergeProposal: (mergeProposal) => set({ mergeProposal }),
  setDispatchMessage: (dispatchMessage) => set({ dispatchMessage }),
  setCloseDialogOpen: (closeDialogOpen) => set({ closeDialogOpen }),
  setCoverage: (coverage) => set({ coverageGaps: coverage.gaps, coverageThreshold: coverage.thresholdSeconds }),
  setMuted: (muted) => {
    saveMuted(muted);
    set({ muted });
  },
});
