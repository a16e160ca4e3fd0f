// The renderer's typed client of the one contract. Requests and pushed
// events travel over one WebSocket; both directions are validated against
// shared/contract/. Reconnects on its own and replays nothing: after a
// reconnect the app asks for the picture again.
import {
  ServerFrame,
  WS_SUBPROTOCOL,
  WS_TOKEN_PREFIX,
  WS_SEAT_REVOKED,
  describeIssues,
  events,
  isEventName,
  requests,
  type EventName,
  type EventPayload,
  type RequestName,
  type RequestParams,
  type RequestResult,
} from '../../shared/contract';

export type ConnectionState = 'connecting' | 'open' | 'closed';

interface Pending {
  method: RequestName;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * A request that did not succeed: refused by the core (with the contract's
 * reason code and params, worded by renderer/i18n/refusals.ts), or failed on
 * the way (`disconnected`, `contract`). `message` is the core's English text.
 */
export class CoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The core's reason code: one of the contract's (RefusalReason), or one a newer core added. */
    readonly reason?: string,
    readonly params?: Readonly<Record<string, string | number>>,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}

export class CoreClient {
  private socket: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queued: string[] = [];
  private readonly eventListeners = new Map<EventName, Set<(payload: never) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private retryMs = 250;
  /** The sign-in's token, sent with every request (the core checks the caller's role). */
  private session: string | undefined;
  private readonly signedOutListeners = new Set<() => void>();
  private readonly revokedListeners = new Set<() => void>();
  private closedByUs = false;
  state: ConnectionState = 'connecting';

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {
    this.connect();
  }

  call<M extends RequestName>(method: M, params: RequestParams<M>): Promise<RequestResult<M>> {
    const id = this.nextId++;
    const frame = JSON.stringify({ type: 'request', id, method, params, session: this.session });
    return new Promise<RequestResult<M>>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject });
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(frame);
      else this.queued.push(frame);
    });
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.eventListeners.get(name);
    if (!set) this.eventListeners.set(name, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  setSession(token: string | undefined): void {
    this.session = token;
  }

  /** Called when the core no longer knows this console's session (shift handed over, core restarted). */
  onSignedOut(listener: () => void): () => void {
    this.signedOutListeners.add(listener);
    return () => this.signedOutListeners.delete(listener);
  }

  /** Called when the post revoked this seat (room address, issue 15): the socket is closed with code 4401 and not reopened. */
  onRevoked(listener: () => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    this.closedByUs = true;
    this.socket?.close();
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private connect(): void {
    this.setState('connecting');
    const socket = new WebSocket(this.url, [WS_SUBPROTOCOL, WS_TOKEN_PREFIX + this.token]);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 250;
      this.setState('open');
      for (const frame of this.queued.splice(0)) socket.send(frame);
    };
    socket.onmessage = (message) => this.receive(String(message.data));
    socket.onclose = (event) => {
      if (event.code === WS_SEAT_REVOKED) {
        this.closedByUs = true;
        for (const listener of this.revokedListeners) listener();
      }
      for (const [id, pending] of this.pending) {
        pending.reject(new CoreError('disconnected', `${pending.method}: connection to the core lost`));
        this.pending.delete(id);
      }
      this.setState('closed');
      if (this.closedByUs) return;
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    };
  }

  private receive(text: string): void {
    let frame: ServerFrame;
    try {
      const parsed = ServerFrame.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(describeIssues(parsed.error));
      frame = parsed.data;
    } catch (error) {
      console.error('Vigie: a frame from the core broke the contract:', error);
      return;
    }
    if (frame.type === 'event') {
      if (!isEventName(frame.name)) return;
      const payload = events[frame.name].safeParse(frame.payload);
      if (!payload.success) return console.error(`Vigie: event ${frame.name} broke the contract: ${describeIssues(payload.error)}`);
      for (const listener of this.eventListeners.get(frame.name) ?? []) (listener as (payload: unknown) => void)(payload.data);
      return;
    }
    const pending = this.pending.get(frame.id);
    if (!pending) return;
    this.pending.delete(frame.id);
    if (!frame.ok) {
      if (frame.error.code === 'unauthenticated' && this.session !== undefined) for (const listener of this.signedOutListeners) listener();
      return pending.reject(new CoreError(frame.error.code, frame.error.message, frame.error.reason, frame.error.params));
    }
    const result = requests[pending.method].result.safeParse(frame.result);
    if (!result.success) return pending.reject(new CoreError('contract', `${pending.method}: ${describeIssues(result.error, 'result')}`));
    pending.resolve(result.data);
  }
}
