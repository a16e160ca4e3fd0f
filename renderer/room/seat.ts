// A console opened on a post's room address (issue 15; docs/room.md) has no
// per-launch secret: it joins as a seat. It asks once for a seat token (kept
// in localStorage, so the seat stays the same seat across restarts), shows
// the short code a supervisor admits, and waits. A revoked or forgotten seat
// asks again, with a new code.
const SEAT_KEY = 'vigie.seatToken';
const POLL_MS = 2000;

type SeatAnswer = { ok: true; result: { state: 'pending' | 'admitted' | 'revoked'; code: string | null } } | { ok: false; error: { reason: string } };

/**
 * Whether this page is a seat on a room address: HTTPS, in a browser or in
 * the desktop app joining a post (--join). The desktop app's own core is
 * always plain http://127.0.0.1, so the scheme alone tells them apart.
 */
export function onRoomAddress(): boolean {
  return window.location.protocol === 'https:';
}

async function post<T>(method: string, token: string | undefined, params: unknown = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/**
 * The seat's token once a supervisor has admitted it. `onWaiting` is told
 * the code to show while it waits (and again if the seat had to ask anew).
 */
export async function joinAsSeat(onWaiting: (code: string) => void): Promise<string> {
  let token = localStorage.getItem(SEAT_KEY) ?? undefined;
  for (;;) {
    if (!token) {
      const asked = await post<{ ok: boolean; result?: { token: string; code: string } }>('seat.request', undefined, {
        label: navigator.userAgent.slice(0, 120),
      });
      if (!asked.body.ok || !asked.body.result) throw new Error(`this post refused a new seat (${asked.status})`);
      token = asked.body.result.token;
      localStorage.setItem(SEAT_KEY, token);
    }
    const { body } = await post<SeatAnswer>('seat.status', token);
    if (body.ok && body.result.state === 'admitted') return token;
    if (body.ok && body.result.state === 'pending' && body.result.code) onWaiting(body.result.code);
    else {
      // Unknown here (another post, a wiped database) or revoked: ask again.
      localStorage.removeItem(SEAT_KEY);
      token = undefined;
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
