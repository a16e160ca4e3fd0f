// The centre's API, with its per-launch secret: taken from the address's
// #token= once, kept for the tab in sessionStorage, and wiped from the address.
import type { CentreFigures, CentrePicture, CentrePostPicture, CentreSentMessage, ShiftView } from '../../shared/contract';

const TOKEN_KEY = 'vigie.centre.token';

export function centreToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export class CentreApiError extends Error {
  constructor(readonly status: number) {
    super(`the centre answered ${status}`);
  }
}

export async function fetchPicture(token: string): Promise<CentrePicture> {
  const response = await fetch('/api/centre.picture', { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new CentreApiError(response.status);
  return (await response.json()) as CentrePicture;
}

export async function fetchMessages(token: string): Promise<CentreSentMessage[]> {
  const response = await fetch('/api/centre.messages', { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new CentreApiError(response.status);
  return ((await response.json()) as { messages: CentreSentMessage[] }).messages;
}

/** Sends a post a message; the centre's refusal (an empty text, NATS down) comes back as the error's message. */
export async function sendMessage(token: string, post: string, text: string): Promise<CentreSentMessage> {
  const response = await fetch('/api/centre.message', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ post, text }),
  });
  const body = (await response.json()) as CentreSentMessage | { error: string };
  if (!response.ok) throw new Error('error' in body ? body.error : `the centre answered ${response.status}`);
  return body as CentreSentMessage;
}

async function getJson<T>(token: string, url: string): Promise<T> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as T | { error: string };
  if (!response.ok) throw new Error(typeof body === 'object' && body && 'error' in body ? body.error : `the centre answered ${response.status}`);
  return body as T;
}

export const fetchShifts = (token: string, post: string) =>
  getJson<{ shifts: ShiftView[] }>(token, `/api/centre.shifts?post=${encodeURIComponent(post)}`).then((answer) => answer.shifts);

export interface ReplayedPost {
  post: string;
  shift: number;
  from: number;
  to: number;
  time: number;
  seq: number;
  picture: Pick<CentrePostPicture, 'sectors' | 'units' | 'tracks' | 'incidents'>;
}

export const fetchReplay = (token: string, post: string, shift: number, time?: number) =>
  getJson<ReplayedPost>(token, `/api/centre.replay?post=${encodeURIComponent(post)}&shift=${shift}${time === undefined ? '' : `&time=${Math.round(time)}`}`);

export const fetchFigures = (token: string, from: number, to: number) =>
  getJson<CentreFigures>(token, `/api/centre.figures?from=${Math.round(from)}&to=${Math.round(to)}`);
