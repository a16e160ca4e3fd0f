// Units ranked by estimated time of arrival at an incident, as the console
// shows them: free or committed (and where), reachable, distance, time, mode.
import type { RequestResult } from '../../../shared/contract';
import type { LivePicture } from '../picture/livePicture';
import { isAvailable } from './coverage';
import type { EtaModel } from './eta';

export type RankedUnitView = RequestResult<'dispatch.rank'>['units'][number];

export function rankUnits(model: EtaModel, picture: LivePicture, target: { lat: number; lon: number }): RankedUnitView[] {
  return model.rank([...picture.units.values()], target).map(({ unit, eta }) => ({
    unit: unit.id,
    callsign: unit.callsign,
    type: unit.type,
    status: unit.status,
    available: isAvailable(unit),
    committedTo: unit.assignment ? (picture.assignments.get(unit.assignment)?.incident ?? null) : null,
    reachable: eta.reachable,
    meters: Number.isFinite(eta.meters) ? Math.round(eta.meters) : null,
    seconds: Number.isFinite(eta.seconds) ? Math.round(eta.seconds) : null,
    mode: eta.mode,
    note: eta.note ?? null,
  }));
}
