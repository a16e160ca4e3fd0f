// The control room (issue 15; docs/room.md): seats asking to join over the
// room address, admitted or revoked by a supervisor, and who is signed in
// where. The seat rules live in room/seats.ts; these handlers check, log and answer.
import type { SeatView } from '../../../../shared/contract';
import type { Sessions } from '../../accounts/sessions';
import { logEvent } from '../../log/eventCatalogue';
import { Refusal } from '../../refusal';
import type { SeatRecord, Seats } from '../../room/seats';
import { LOCAL_SEAT } from '../guard';
import { signedIn, type AppendToLog, type HandlersOf } from './common';

export interface RoomContext {
  /** Absent when the post has no room address: only its own console exists. */
  seats?: Seats;
  sessions: Sessions;
  append: AppendToLog;
  /** Tells supervisors' consoles to ask for the list again. */
  onSeatsChanged: () => void;
  /** Closes a revoked seat's console sockets. */
  disconnectSeat: (seat: string) => void;
}

export function createRoomHandlers({ seats, sessions, append, onSeatsChanged, disconnectSeat }: RoomContext): HandlersOf<'seat.'> {
  const view = (seat: SeatRecord): SeatView => ({
    ...seat,
    signedIn: sessions
      .all()
      .filter((caller) => caller.seat === seat.id)
      .map(({ name, role }) => ({ name, role })),
  });
  const roomSeats = (): Seats => {
    if (!seats) throw new Refusal('seat-unknown', {}, 'this post has no room address');
    return seats;
  };

  return {
    'seat.request': ({ label }, _caller, from) => {
      const { seat, token } = roomSeats().request(from.address, label);
      append([logEvent('seat.requested', 'core', { seat: seat.id, code: seat.code, address: seat.address, label: seat.label })]);
      onSeatsChanged();
      return { seat: seat.id, token, code: seat.code };
    },

    'seat.status': (_params, _caller, from) => {
      if (from.seat === LOCAL_SEAT) return { seat: LOCAL_SEAT, code: null, state: 'admitted' as const };
      const seat = from.seat === null ? undefined : seats?.get(from.seat);
      if (!seat) throw new Refusal('seat-unknown', {}, 'this seat has not asked to join the post');
      return { seat: seat.id, code: seat.code, state: seat.state };
    },

    'seat.list': () => ({ seats: (seats?.list() ?? []).map(view) }),

    'seat.admit': ({ code }, caller) => {
      const me = signedIn(caller);
      const { seat, changed } = roomSeats().admit(code, me.name);
      if (changed) {
        append([{ ...logEvent('seat.admitted', 'core', { seat: seat.id, code: seat.code, address: seat.address }), operator: me.name }]);
        onSeatsChanged();
      }
      return view(seat);
    },

    'seat.revoke': ({ seat: id }, caller) => {
      const me = signedIn(caller);
      const { seat, changed } = roomSeats().revoke(id, me.name);
      if (changed) {
        append([{ ...logEvent('seat.revoked', 'core', { seat: seat.id, code: seat.code }), operator: me.name }]);
        for (const ended of sessions.endSeat(seat.id)) append([{ ...logEvent('session.signedOut', 'core', { name: ended.name }), operator: ended.name }]);
        disconnectSeat(seat.id);
        onSeatsChanged();
      }
      return view(seat);
    },
  };
}
