// The operator's dispatch actions, shared by the keyboard shortcuts and the
// buttons: each one is a contract request, and a refusal from the core is
// shown to the operator in their language (renderer/i18n/refusals.ts).
import type { Outcome } from '../../shared/domain';
import { callCore } from '../core/activeClient';
import { saveFile } from '../core/saveFile';
import { describeFailureNow } from '../i18n/refusals';
import { useConsole } from '../state/store';

const store = () => useConsole.getState();

/** A refusal in the operator's language (worded from the core's reason code). */
function reason(error: unknown): string {
  return describeFailureNow(error);
}

/** Asks for the units ranked for the selected incident (live only: the ranking is the core's answer about now). */
export async function refreshRanking(): Promise<void> {
  const incident = store().selectedIncident;
  if (!incident || store().replay) return;
  try {
    const { units } = await callCore('dispatch.rank', { incident });
    store().setRanking(incident, units);
  } catch (error) {
    store().setDispatchMessage(reason(error));
  }
}

/**
 * Enter on a new alert: first the merge candidates; with some, the operator
 * is asked (G merges, Enter opens a new incident); without, a new incident.
 */
export async function startAcknowledge(alert: string): Promise<void> {
  const pending = store().mergeProposal;
  if (pending && pending.alert === alert) return acknowledge(alert);
  try {
    const { candidates } = await callCore('alert.mergeCandidates', { alert });
    if (candidates.length > 0) return store().setMergeProposal({ alert, candidates });
    await acknowledge(alert);
  } catch (error) {
    store().setDispatchMessage(reason(error));
  }
}

/** Acknowledges an alert into a new incident, or into `incident` (a merge); selects the incident. */
export async function acknowledge(alert: string, incident?: string): Promise<void> {
  store().setMergeProposal(null);
  try {
    const result = await callCore('alert.acknowledge', incident ? { alert, incident } : { alert });
    store().selectIncident(result.incident);
    await refreshRanking();
  } catch (error) {
    store().setDispatchMessage(reason(error));
  }
}

/** G: merges the pending alert into the first (nearest) candidate. */
export function confirmMerge(): void {
  const proposal = store().mergeProposal;
  const first = proposal?.candidates[0];
  if (proposal && first) void acknowledge(proposal.alert, first.incident);
}

/** Sends one unit to the selected incident (with override when O was pressed). */
export async function assignUnit(unit: string): Promise<void> {
  const { selectedIncident: incident, override } = store();
  if (!incident) return;
  try {
    await callCore('dispatch.assign', override ? { incident, unit, override: true } : { incident, unit });
    store().setOverride(false);
    store().setDispatchMessage(null);
  } catch (error) {
    store().setDispatchMessage(reason(error));
  }
  await refreshRanking();
}

/** D: the first ranked unit that is free and can get there. */
export function assignTop(): void {
  const top = store().ranking?.find((unit) => unit.available && unit.reachable);
  if (top) void assignUnit(top.unit);
}

/** 1–9: the nth ranked unit, whatever its state (the core refuses a committed one without override). */
export function assignNth(n: number): void {
  const unit = store().ranking?.[n - 1];
  if (unit) void assignUnit(unit.unit);
}

/** A status set by the operator for a unit on the selected incident (the unit's device is told by the core). */
export async function setUnitStatus(unit: string, status: 'en-route' | 'cleared'): Promise<void> {
  try {
    await callCore('dispatch.setStatus', { unit, status });
    store().setDispatchMessage(null);
  } catch (error) {
    store().setDispatchMessage(reason(error));
  }
  await refreshRanking();
}

function selectedAssignments() {
  const { live, selectedIncident } = store();
  return live.incidents.find((incident) => incident.id === selectedIncident)?.assignments ?? [];
}

/** E: the first unit of the selected incident still "assigned" sets off. */
export function markFirstEnRoute(): void {
  const assignment = selectedAssignments().find((candidate) => candidate.status === 'assigned');
  if (assignment) void setUnitStatus(assignment.unit, 'en-route');
}

/** R: the first unit still on the selected incident is released. */
export function clearFirstUnit(): void {
  const assignment = selectedAssignments().find((candidate) => candidate.status !== 'cleared');
  if (assignment) void setUnitStatus(assignment.unit, 'cleared');
}

export function toggleOverride(): void {
  if (store().selectedIncident) store().setOverride(!store().override);
}

export function openCloseDialog(): void {
  if (store().selectedIncident) store().setCloseDialogOpen(true);
}

/** Adds a note to the selected incident; true when the core logged it. */
export async function addNote(text: string): Promise<boolean> {
  const incident = store().selectedIncident;
  if (!incident || text.trim() === '') return false;
  try {
    await callCore('incident.addNote', { incident, text });
    return true;
  } catch (error) {
    store().setDispatchMessage(reason(error));
    return false;
  }
}

/** The selected incident as an evidence file, saved by the browser. */
export async function exportIncidentEvidence(): Promise<void> {
  const incident = store().selectedIncident;
  if (!incident) return;
  try {
    const { fileName, content } = await callCore('evidence.export', { incident });
    saveFile(content, fileName, 'application/json');
  } catch (error) {
    store().setDispatchMessage(reason(error));
  }
}

/** Closes the selected incident; true when the core accepted it. */
export async function closeIncident(outcome: Outcome, notes: string): Promise<boolean> {
  const incident = store().selectedIncident;
  if (!incident) return false;
  try {
    await callCore('incident.close', { incident, outcome, notes });
    store().setCloseDialogOpen(false);
    store().selectIncident(null);
    return true;
  } catch (error) {
    store().setDispatchMessage(reason(error));
    return false;
  }
}

/** U: mutes or unmutes the alert sounds; logged by the core, remembered here. */
export async function toggleMute(): Promise<void> {
  try {
    const { muted } = await callCore('console.setMute', { muted: !store().muted });
    store().setMuted(muted);
  } catch (error) {
    console.error('Vigie: muting failed', error);
  }
}
