// The feed sockets: CoT over UDP and TCP, NMEA over UDP and TCP (one pair per
// radar), Vigie JSON lines over TCP and WebSocket. Each frame goes to the
// ingest pipeline; TCP sources over their rate, or a congested pipeline,
// are paused (backpressure) instead of buffered without limit.
import dgram from 'node:dgram';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FeedListenerView } from '../../../shared/contract';
import type { FeedProtocol } from '../../../shared/domain';
import type { LogWriter } from '../log/logWriter';
import type { Logger } from '../logger';
import type { Site } from '../../../shared/site';
import { CotStreamFramer } from './framing/cotStreamFramer';
import { isTak, type Frame } from './framing/frames';
import { LineFramer } from './framing/lineFramer';
import { parseCotEvent, type RegisteredDevices } from './cot/parseCotEvent';
import { ParsePool } from './parseWorker/parsePool';
import { nmeaRadar, parseCotFrame, parseNmeaFrame, type ParsedFeed, type ParsedFrame } from './parseWorker/frameParsing';
import { meshFrame, meshPayload, streamFrame, TAK_MAGIC, takToXml, xmlToTak } from './tak/takProtocol';
import type { Parsed } from './feedMessage';
import type { FeedIngest, Origin, ReceiveResult } from './ingest';
import { JSON_FEED_VERSION, MAX_JSON_LINE_BYTES } from '../../../shared/feeds/jsonLines';
import { parseJsonLine } from './jsonLines/parseJsonLine';
import { AisReceiver } from './ais/aisReceiver';
import { MAX_AIS_LINE_CHARS } from './ais/aisSentence';
import type { Outbound, UnitLink } from './outbound';

/** Port overrides, e.g. all 0 in tests so several cores run side by side. */
export interface FeedPorts {
  cotUdp?: number;
  cotTcp?: number;
  nmea?: Record<string, { udp?: number; tcp?: number }>;
  ais?: Record<string, { udp?: number; tcp?: number }>;
  jsonTcp?: number;
  jsonWs?: number;
  /** The TAK mesh groups' ports (the groups stay the site's). */
  mesh?: { sa?: number; chat?: number };
}

const MAX_CONNECTIONS_PER_LISTENER = 512;
/** Connections one remote address may hold open across all TCP and WebSocket listeners. */
const MAX_CONNECTIONS_PER_ADDRESS = 256;
/** A feed connection silent this long is closed (terminals report every few seconds). */
const IDLE_TIMEOUT_MS = 10 * 60_000;
const MAX_WS_MESSAGE_BYTES = 256 * 1024;
/** The first line of an HTTP request: a web page posting to a feed port. */
const HTTP_REQUEST_LINE = /^(GET|POST|PUT|HEAD|OPTIONS|DELETE|PATCH|CONNECT|TRACE) \S+ HTTP\/\d/;
const MAX_NMEA_LINE_BYTES = 200;
/** How often AIS messages waiting for a missing part are checked for their timeout. */
const AIS_SWEEP_MS = 1_000;
const MAX_COT_EVENT_BYTES = 64 * 1024;
/** Stop writing replies to a peer that does not read them. */
const MAX_PENDING_REPLY_BYTES = 1 << 20;
/** What `multicast: true` stands for: ATAK's defaults. */
const DEFAULT_MESH = { sa: '239.2.3.1:6969', chat: '224.10.10.1:17012' };

export class FeedServer {
  readonly listeners: FeedListenerView[] = [];
  private readonly closers: (() => Promise<void>)[] = [];
  private readonly tcpSockets = new Set<net.Socket>();
  private readonly wsSockets = new Set<WebSocket>();
  private readonly gates = new Set<SourceGate<unknown>>();
  private readonly connectionsByAddress = new Map<string, number>();
  private congested = false;
  /** Reads TCP frames of the JSON, NMEA and CoT XML feeds off the main thread (started with the listeners). */
  private parser: ParsePool | undefined;

  constructor(
    private readonly site: Site,
    private readonly ingest: FeedIngest,
    /** The log writer, whose queue (or a block waiting for storage) decides when sources are held back, and which. */
    private readonly congestion: Pick<LogWriter, 'onCongestion' | 'holds'>,
    private readonly outbound: Outbound,
    private readonly logger: Logger,
    /** Field devices registered as units: their reports move their unit. */
    private readonly registered?: RegisteredDevices,
    /** true: TCP frames of JSON, NMEA and CoT XML are parsed in a worker thread (feeds/parseWorker). */
    private readonly parseWorker = false,
  ) {
    congestion.onCongestion((congested) => {
      this.congested = congested;
      if (congested) this.logger.warn('feed pipeline congested: holding the sources with messages still queued until it drains');
      for (const gate of this.gates) {
        if (!congested) gate.wake();
        else if (congestion.holds(gate.source)) gate.hold();
      }
    });
  }

  /** Whether the congested pipeline holds this source back (only those with work still queued, unless storage is missing). */
  private congestedFor(source: string): boolean {
    return this.congested && this.congestion.holds(source);
  }

  async start(ports: FeedPorts = {}): Promise<void> {
    const { host, cot, nmea, ais, json } = this.site.listeners;
    if (this.parseWorker)
      this.parser = new ParsePool({
        site: this.site,
        registered: this.registered,
        logger: this.logger,
        // Frames in flight back under the mark: read the held sources again (unless the log is what holds them).
        onDrained: () => {
          if (!this.congested) for (const gate of this.gates) gate.wake();
        },
      });
    // The sender's address is the link back (outbound.ts): tasking and GeoChat reach a mesh device where it spoke from.
    await this.udp('CoT mesh', 'cot', host, ports.cotUdp ?? cot.udp, (frame, origin, link) => this.cotFrame(frame, origin, link));
    // The TAK mesh: what ATAK sends to its multicast groups, read like any CoT datagram. No link back through
    // a socket bound to a group address (it cannot be a datagram's source): a device heard only there is not answered.
    const mesh = cot.mesh ?? (cot.multicast ? DEFAULT_MESH : undefined);
    if (mesh) {
      const iface = cot.mesh?.interface ?? (host === '0.0.0.0' ? undefined : host);
      // Operators' GeoChat to All Chat Rooms also goes to the chat group, from a socket of its own; its own echo is not read back.
      const sender = await this.meshSender(iface);
      const own = sender?.address();
      for (const which of ['sa', 'chat'] as const) {
        const [group, port] = mesh[which].split(':') as [string, string];
        await this.udp(
          `TAK mesh ${which === 'sa' ? 'SA' : 'chat'} ${group}`,
          'cot',
          group,
          ports.mesh?.[which] ?? Number(port),
          (frame, origin) => this.cotFrame(frame, origin),
          { group, iface },
          undefined,
          (remote) => own !== undefined && remote.port === own.port && remote.address === own.address,
        );
        if (which === 'chat' && sender) {
          const bound = this.listeners.at(-1)!.port;
          this.meshChat = (frame) => (sender.send(frame, bound, group), true);
        }
      }
    }
    await this.tcp(
      'CoT stream',
      'cot',
      host,
      ports.cotTcp ?? cot.tcp,
      () => new CotStreamFramer(MAX_COT_EVENT_BYTES),
      (frame, origin, link) => this.cotFrame(frame, origin, link),
      undefined,
      (message, origin, link) => this.takStreamFrame(message, origin, link),
      {
        feed: 'cot',
        apply: (frame, parsed, origin, link, receivedAt, hr) =>
          this.bindSenders(this.ingest.receiveChecked(origin, frame, withoutHello(parsed), receivedAt, hr), link),
      },
    );
    for (const listener of nmea) {
      const radar = this.site.sensors.find((sensor) => sensor.id === listener.sensor)!;
      const target = nmeaRadar(this.site, radar.id);
      // A Vigie TAG block (signature) comes off before the sentence is read; any other TAG block stays and is refused as before.
      const parse = (frame: Buffer) => (t: number) => parseNmeaFrame(frame, target, t);
      const override = ports.nmea?.[radar.id];
      // A datagram may carry several sentences: each is a message of its own.
      const sentences = (datagram: Buffer, origin: Origin) => {
        const lines = datagram
          .toString('latin1')
          .split('\n')
          .filter((line) => line.trim() !== '');
        lines.forEach((line, index) => {
          // The datagram was admitted as one message; further sentences take their own share.
          if (index > 0 && this.ingest.admit(origin) > 0) return;
          const frame = Buffer.from(line, 'latin1');
          this.ingest.receive(origin, frame, parse(frame));
        });
      };
      await this.udp(`NMEA ${radar.id}`, 'nmea', host, override?.udp ?? listener.udp, sentences, undefined, radar.id);
      await this.tcp(
        `NMEA ${radar.id}`,
        'nmea',
        host,
        override?.tcp ?? listener.tcp,
        () => new LineFramer(MAX_NMEA_LINE_BYTES),
        (frame, origin) => this.ingest.receive(origin, frame, parse(frame)),
        radar.id,
        undefined,
        {
          feed: 'nmea',
          source: radar.id,
          apply: (frame, parsed, origin, _link, receivedAt, hr) => this.ingest.receiveChecked(origin, frame, withoutHello(parsed), receivedAt, hr),
        },
      );
    }
    for (const listener of ais ?? []) {
      const receiver = new AisReceiver(listener.sensor, this.ingest, () => this.ingest.now());
      const sweep = setInterval(() => receiver.sweep(), AIS_SWEEP_MS);
      sweep.unref();
      this.closers.push(async () => clearInterval(sweep));
      const override = ports.ais?.[listener.sensor];
      // A datagram may carry several sentences (both parts of a type 5, often): each is a message of its own.
      const lines = (datagram: Buffer, origin: Origin) => {
        const text = datagram.toString('latin1').split('\n');
        let first = true;
        for (const line of text) {
          if (line.trim() === '') continue;
          if (!first && this.ingest.admit(origin) > 0) return;
          first = false;
          receiver.line(origin, line);
        }
      };
      await this.udp(`AIS ${listener.sensor}`, 'ais', host, override?.udp ?? listener.udp, lines, undefined, listener.sensor);
      await this.tcp(
        `AIS ${listener.sensor}`,
        'ais',
        host,
        override?.tcp ?? listener.tcp,
        () => new LineFramer(MAX_AIS_LINE_CHARS),
        (frame, origin) => receiver.line(origin, frame.toString('latin1')),
        listener.sensor,
      );
    }
    await this.tcp(
      'JSON lines',
      'json',
      host,
      ports.jsonTcp ?? json.tcp,
      () => new LineFramer(MAX_JSON_LINE_BYTES),
      (frame, origin, link) => this.jsonFrame(frame.toString('utf8'), origin, link),
      undefined,
      undefined,
      {
        feed: 'json',
        apply: (frame, parsed, origin, link, receivedAt, hr) => this.jsonFrame(frame.toString('utf8'), origin, link, { parsed, receivedAt, hr }),
      },
    );
    await this.websocket(host, ports.jsonWs ?? json.ws);
  }

  async close(): Promise<void> {
    for (const socket of this.tcpSockets) socket.destroy();
    for (const ws of this.wsSockets) ws.terminate();
    await Promise.all(this.closers.map((close) => close()));
    // After the sockets: frames the worker still holds are read here, so what was received reaches the log.
    await this.parser?.close();
  }

  /** The parse worker, when one runs (tests). */
  get parsePool(): ParsePool | undefined {
    return this.parser;
  }

  private cotFrame(frame: Buffer, origin: Origin, link?: UnitLink) {
    // A datagram starting 0xbf is TAK Protocol v1's mesh form (0xbf 0x01 0xbf + TakMessage).
    if (origin.transport === 'udp' && frame[0] === TAK_MAGIC) return this.takFrame(frame, meshPayload(frame), origin, link && takLink(link, meshFrame));
    return this.bindSenders(
      this.ingest.receive(origin, frame, (t) => parseCotFrame(frame, this.site, t, this.registered)),
      link,
    );
  }

  /** Units and devices that spoke on a connection are reached back through it. */
  private bindSenders(result: ReceiveResult, link: UnitLink | undefined): ReceiveResult {
    if (link && result.units) for (const unit of result.units) this.outbound.bind(unit, link);
    if (link && result.devices) for (const device of result.devices) this.outbound.bindDevice(device, link);
    return result;
  }

  private takStreamFrame(message: Buffer, origin: Origin, link: UnitLink) {
    return this.takFrame(message, { ok: true, payload: message }, origin, takLink(link, streamFrame));
  }

  /** A TakMessage: decoded to the CoT event it carries, then the same path as XML; the raw bytes are what the quarantine keeps. */
  private takFrame(raw: Buffer, payload: ReturnType<typeof meshPayload>, origin: Origin, link: UnitLink | undefined) {
    const result = this.ingest.receive(origin, raw, (t): Parsed => {
      if (!payload.ok) return payload;
      const decoded = takToXml(payload.payload);
      if (!decoded.ok) return decoded;
      return parseCotEvent(decoded.xml, this.site, t, this.registered);
    });
    // Replies go back in the form the device used.
    if (link && result.units) for (const unit of result.units) this.outbound.bind(unit, link);
    if (link && result.devices) for (const device of result.devices) this.outbound.bindDevice(device, link);
    return result;
  }

  /** One JSON line; `read`: already parsed and checked by the parse worker, at that receipt time. */
  private jsonFrame(line: string, origin: Origin, link?: UnitLink, read?: { parsed: ParsedFrame; receivedAt: number; hr: number }) {
    // A hello carries a secret: never keep it in the quarantine.
    const raw = line.includes('"secret"') ? redactSecret(line) : line;
    const result = read
      ? this.ingest.receiveChecked(origin, raw, 'hello' in read.parsed ? this.hello(read.parsed.hello, origin, link) : read.parsed, read.receivedAt, read.hr)
      : this.ingest.receive(origin, raw, (t): Parsed => {
          const parsed = parseJsonLine(line, t);
          if (!parsed.ok) return parsed;
          if (!('hello' in parsed)) return { ok: true, messages: [parsed.message], auth: parsed.auth };
          return this.hello(parsed.hello, origin, link);
        });
    if (link && result.units) for (const unit of result.units) this.outbound.bind(unit, link);
    // Tell the device integrator why a line was refused.
    if (link)
      for (const refusal of result.refused ?? [])
        link.send(JSON.stringify({ v: JSON_FEED_VERSION, type: 'rejected', reason: refusal.reason, detail: refusal.detail }));
    return result;
  }

  /** A JSON `hello`: checked, and the connection bound to its sensor or unit (a method, not a closure made for every line). */
  private hello(h: { sensor?: string; unit?: string; secret?: string }, origin: Origin, link: UnitLink | undefined) {
    const checked = this.ingest.checkHello(h);
    if (!checked.ok) return checked;
    origin.bound = checked.bound;
    if (checked.bound.unit && link) this.outbound.bind(checked.bound.unit, link);
    return { ok: true as const, messages: [], checked: [] };
  }

  /** Sends a GeoChat event to the mesh's chat group; undefined when the site has no mesh. */
  meshChat: ((frame: string) => boolean) | undefined;

  /** The socket operators' GeoChat leaves by for the mesh: on the mesh's interface, one hop, heard by this machine's TAK apps too. */
  private meshSender(iface: string | undefined): Promise<dgram.Socket | undefined> {
    const socket = dgram.createSocket('udp4');
    return new Promise((resolve) => {
      // An interface that is not this machine's: warned, and no GeoChat goes to the mesh (reading it is warned about too).
      socket.once('error', (error) => {
        this.logger.warn(`TAK mesh sender: ${error.message}; no GeoChat will go to the mesh`);
        socket.close();
        resolve(undefined);
      });
      socket.bind(0, iface, () => {
        socket.removeAllListeners('error');
        socket.on('error', (error) => this.logger.warn(`TAK mesh sender: ${error.message}`));
        try {
          if (iface) socket.setMulticastInterface(iface);
          socket.setMulticastTTL(1);
          socket.setMulticastLoopback(true);
        } catch (error) {
          this.logger.warn(`TAK mesh sender: ${error instanceof Error ? error.message : String(error)}; GeoChat to the mesh may not leave this machine`);
        }
        this.closers.push(() => new Promise((done) => socket.close(() => done())));
        resolve(socket);
      });
    });
  }

  private udp(
    name: string,
    protocol: FeedProtocol,
    host: string,
    port: number,
    onFrame: (frame: Buffer, origin: Origin, link?: UnitLink) => unknown,
    multicast?: { group: string; iface?: string },
    sensor?: string,
    ignore?: (remote: dgram.RemoteInfo) => boolean,
  ): Promise<void> {
    // A larger receive buffer rides out bursts (the kernel caps it at net.core.rmem_max).
    // A group is shared with whatever else on this machine listens to the mesh (another TAK app): reuseAddr.
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: multicast !== undefined, recvBufferSize: 4 << 20 });
    socket.on('message', (message, remote) => {
      if (ignore?.(remote)) return;
      // Keyed by address: a sender can pick any source port, so ports must not buy extra allowance.
      const origin: Origin = { protocol, transport: 'udp', key: `${protocol}/udp/${remote.address}` };
      // Over its rate, or while the congested pipeline holds its source, a
      // datagram is dropped (and counted): UDP has no way to slow the sender down.
      if (this.congestedFor(origin.key)) return this.ingest.throttle(origin);
      if (this.ingest.admit(origin) > 0) return;
      const link: UnitLink = {
        protocol: protocol === 'cot' ? 'cot' : 'json',
        send: (frame) => (socket.send(frame, remote.port, remote.address), true),
        isOpen: () => true,
      };
      onFrame(message, origin, link);
    });
    socket.on('error', (error) => this.logger.warn(`${name} UDP: ${error.message}`));
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        if (multicast) {
          // Bound to the group's address, the socket sees only the group's datagrams; joining on an interface picks the network they come from.
          try {
            socket.addMembership(multicast.group, multicast.iface);
          } catch (error) {
            this.logger.warn(
              `${name}: cannot join ${multicast.group}${multicast.iface ? ` on ${multicast.iface}` : ''}: ${error instanceof Error ? error.message : String(error)}; nothing from the mesh will arrive`,
            );
          }
        }
        this.listeners.push({ name, protocol, transport: 'udp', host, port: (socket.address() as AddressInfo).port, ...(sensor ? { sensor } : {}) });
        this.closers.push(() => new Promise((done) => socket.close(() => done())));
        resolve();
      });
    });
  }

  private tcp(
    name: string,
    protocol: FeedProtocol,
    host: string,
    port: number,
    framer: () => LineFramer | CotStreamFramer,
    onFrame: (frame: Buffer, origin: Origin, link: UnitLink) => unknown,
    sensor?: string,
    /** TAK Protocol v1 stream frames (CoT only). */
    onTak?: (message: Buffer, origin: Origin, link: UnitLink) => unknown,
    /** Frames parsed by the parse worker when it runs, then handed to `apply` (in order) instead of onFrame. */
    offThread?: {
      feed: ParsedFeed;
      source?: string;
      apply: (frame: Buffer, parsed: ParsedFrame, origin: Origin, link: UnitLink, receivedAt: number, hr: number) => unknown;
    },
  ): Promise<void> {
    const server = net.createServer((socket) => {
      const address = socket.remoteAddress ?? '?';
      if (!this.openConnection(address)) return socket.destroy();
      this.tcpSockets.add(socket);
      socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
      const origin: Origin = { protocol, transport: 'tcp', key: `${protocol}/tcp/${address}:${socket.remotePort}` };
      const link: UnitLink = {
        protocol: protocol === 'cot' ? 'cot' : 'json',
        send: (frame) => {
          if (socket.destroyed || socket.writableLength > MAX_PENDING_REPLY_BYTES) return false;
          socket.write(protocol === 'cot' ? frame : `${frame}\n`);
          return true;
        },
        isOpen: () => !socket.destroyed,
      };
      const frames = framer();
      // Admitted frames bound for the parse worker, sent as one batch when the gate has drained what it can.
      let batch: Buffer[] = [];
      let times: number[] = [];
      const send = () => {
        const parser = this.parser;
        if (batch.length === 0 || !parser || !offThread) return;
        const sent = batch;
        const receivedAt = Float64Array.from(times);
        // Receipt-to-commit latency is measured from the read, as on the main-thread path.
        const hr = performance.now();
        batch = [];
        times = [];
        parser.submit(offThread.feed, offThread.source, sent, receivedAt, (results) => {
          for (let i = 0; i < sent.length; i++) {
            try {
              offThread.apply(sent[i]!, results[i]!, origin, link, receivedAt[i]!, hr);
            } catch (error) {
              this.logger.error(`${name}: a frame from ${origin.key} could not be handled: ${error instanceof Error ? error.message : String(error)}`);
            }
          }
        });
      };
      const gate = new SourceGate<Frame>(origin.key, {
        pause: () => socket.pause(),
        resume: () => socket.resume(),
        isOpen: () => !socket.destroyed,
        isCongested: () => this.congestedFor(origin.key) || (this.parser?.busy ?? false),
        process: (frame) => {
          if (!this.parser || !offThread) return this.dispatchFrame(frame, origin, link, onFrame, onTak);
          const hold = this.ingest.admit(origin);
          if (hold > 0) return hold;
          if (Buffer.isBuffer(frame)) {
            batch.push(frame);
            times.push(this.ingest.now());
            return 0;
          }
          // Anything else (TAK, oversized, unsupported) waits behind the frames before it: the source keeps its order.
          send();
          this.parser.defer(() => this.dispatchAdmitted(frame, origin, link, onFrame, onTak));
          return 0;
        },
        drained: send,
      });
      this.gates.add(gate);
      let first = true;
      socket.on('data', (chunk: Buffer) => {
        try {
          if (first) {
            first = false;
            // A browser can be made to POST to a loopback port: never let a web page feed Vigie.
            const line = chunk.subarray(0, 200).toString('latin1');
            if (HTTP_REQUEST_LINE.test(line)) {
              this.ingest.rejectRaw(origin, chunk.subarray(0, 1024), 'unsupported', 'an HTTP request on a feed port; connection closed');
              socket.destroy();
              return;
            }
          }
          gate.push(frames.push(chunk));
        } catch (error) {
          // Whatever goes wrong with one connection stays with that connection.
          this.logger.error(`${name}: closing ${origin.key}: ${error instanceof Error ? error.message : String(error)}`);
          socket.destroy();
        }
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.tcpSockets.delete(socket);
        this.gates.delete(gate);
        this.closeConnection(address);
        this.outbound.unbind(link);
      });
    });
    server.maxConnections = MAX_CONNECTIONS_PER_LISTENER;
    return this.listen(server, name, protocol, host, port, sensor);
  }

  /**
   * Routes one framed item, unless the source is over its rate: then it is
   * left unprocessed and the answer is how long to hold the source back.
   */
  private dispatchFrame(
    frame: Frame,
    origin: Origin,
    link: UnitLink,
    onFrame: (frame: Buffer, origin: Origin, link: UnitLink) => unknown,
    onTak?: (message: Buffer, origin: Origin, link: UnitLink) => unknown,
  ): number {
    const hold = this.ingest.admit(origin);
    if (hold > 0) return hold;
    this.dispatchAdmitted(frame, origin, link, onFrame, onTak);
    return 0;
  }

  /** Routes one framed item the rate limit admitted. */
  private dispatchAdmitted(
    frame: Frame,
    origin: Origin,
    link: UnitLink,
    onFrame: (frame: Buffer, origin: Origin, link: UnitLink) => unknown,
    onTak?: (message: Buffer, origin: Origin, link: UnitLink) => unknown,
  ): void {
    if (Buffer.isBuffer(frame)) {
      onFrame(frame, origin, link);
      return;
    }
    if (isTak(frame)) {
      if (onTak) onTak(frame.tak, origin, link);
      else this.ingest.rejectRaw(origin, frame.tak.subarray(0, 64), 'unsupported', 'TAK Protocol v1 frame on a feed that is not CoT');
      return;
    }
    const [reason, detail] =
      'oversized' in frame
        ? (['oversized', `frame over the size limit (${frame.bytes.length}+ bytes)`] as const)
        : (['unsupported', `${frame.unsupported}: Vigie reads CoT XML only`] as const);
    this.ingest.rejectRaw(origin, frame.bytes, reason, detail);
    if (origin.protocol === 'json') link.send(JSON.stringify({ v: JSON_FEED_VERSION, type: 'rejected', reason, detail }));
  }

  /** Counts a new connection from an address; false when that address already holds too many. */
  private openConnection(address: string): boolean {
    const open = this.connectionsByAddress.get(address) ?? 0;
    if (open >= MAX_CONNECTIONS_PER_ADDRESS) {
      this.logger.warn(`feed connection from ${address} refused: it already holds ${open}`);
      return false;
    }
    this.connectionsByAddress.set(address, open + 1);
    return true;
  }

  private closeConnection(address: string): void {
    const open = (this.connectionsByAddress.get(address) ?? 1) - 1;
    if (open <= 0) this.connectionsByAddress.delete(address);
    else this.connectionsByAddress.set(address, open);
  }

  private listen(server: net.Server, name: string, protocol: FeedProtocol, host: string, port: number, sensor?: string): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        server.on('error', (error) => this.logger.warn(`${name}: ${error.message}`));
        this.listeners.push({ name, protocol, transport: 'tcp', host, port: (server.address() as AddressInfo).port, ...(sensor ? { sensor } : {}) });
        this.closers.push(() => new Promise((done) => server.close(() => done())));
        resolve();
      });
    });
  }

  private websocket(host: string, port: number): Promise<void> {
    const wss = new WebSocketServer({
      host,
      port,
      maxPayload: MAX_WS_MESSAGE_BYTES,
      // Devices send no Origin; a browser always does. Never let a web page feed Vigie.
      verifyClient: (info: { origin?: string; req: { socket: { remoteAddress?: string } } }) =>
        !info.origin && this.wsSockets.size < MAX_CONNECTIONS_PER_LISTENER,
    });
    wss.on('connection', (ws, request) => {
      const address = request.socket.remoteAddress ?? '?';
      if (!this.openConnection(address)) return ws.terminate();
      this.wsSockets.add(ws);
      request.socket.setTimeout(IDLE_TIMEOUT_MS, () => ws.terminate());
      const origin: Origin = { protocol: 'json', transport: 'ws', key: `json/ws/${address}:${request.socket.remotePort}` };
      const link: UnitLink = {
        protocol: 'json',
        send: (frame) => {
          if (ws.readyState !== ws.OPEN || ws.bufferedAmount > MAX_PENDING_REPLY_BYTES) return false;
          ws.send(frame);
          return true;
        },
        isOpen: () => ws.readyState === ws.OPEN,
      };
      const gate = new SourceGate<string>(origin.key, {
        pause: () => ws.pause(),
        resume: () => ws.resume(),
        isOpen: () => ws.readyState === ws.OPEN,
        isCongested: () => this.congestedFor(origin.key),
        process: (line) => {
          const hold = this.ingest.admit(origin);
          if (hold === 0) this.jsonFrame(line, origin, link);
          return hold;
        },
      });
      this.gates.add(gate);
      ws.on('message', (data, isBinary) => {
        const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
        // A message may carry several lines.
        const lines: string[] = [];
        for (const line of text.split('\n')) if (line.trim()) lines.push(line.replace(/\r$/, ''));
        gate.push(lines);
      });
      ws.on('error', () => undefined);
      ws.on('close', () => {
        this.wsSockets.delete(ws);
        this.gates.delete(gate);
        this.closeConnection(address);
        this.outbound.unbind(link);
      });
    });
    return new Promise((resolve, reject) => {
      wss.once('error', reject);
      wss.once('listening', () => {
        wss.off('error', reject);
        wss.on('error', (error) => this.logger.warn(`JSON WebSocket: ${error.message}`));
        this.listeners.push({ name: 'JSON lines', protocol: 'json', transport: 'ws', host, port: (wss.address() as AddressInfo).port });
        this.closers.push(() => new Promise((done) => wss.close(() => done())));
        resolve();
      });
    });
  }
}

/** The line with the value of any "secret" member replaced, for the quarantine. */
function redactSecret(line: string): string {
  return line.replace(/("secret"\s*:\s*)"(?:[^"\\]|\\.)*"/g, '$1"<redacted>"');
}

/**
 * Reads from one TCP or WebSocket source only while it is within its rate and
 * the pipeline is not congested. Items already read wait here (at most what
 * arrived before the pause took effect); the socket stays paused meanwhile,
 * so the sender is slowed by flow control instead of being buffered.
 */
class SourceGate<T> {
  private backlog: T[] = [];
  private next = 0;
  private holding = false;

  constructor(
    /** The origin's key: whose queued work decides whether congestion holds it. */
    readonly source: string,
    private readonly io: {
      pause(): void;
      resume(): void;
      isOpen(): boolean;
      isCongested(): boolean;
      /** Handles one item; returns ms to hold the source back (the item is then retried), or 0. */
      process(item: T): number;
      /** Called whenever a drain stops (held back, congested or done): items handled so far can be sent on together. */
      drained?(): void;
    },
  ) {}

  push(items: T[]): void {
    for (const item of items) this.backlog.push(item);
    if (this.holding || this.io.isCongested()) return this.io.pause();
    this.drain();
  }

  /** The pipeline is congested: stop reading. */
  hold(): void {
    this.io.pause();
  }

  /** Congestion cleared: carry on unless the rate limit is holding this source. */
  wake(): void {
    if (!this.holding && this.io.isOpen()) this.drain();
  }

  private drain(): void {
    try {
      this.drainBacklog();
    } finally {
      this.io.drained?.();
    }
  }

  private drainBacklog(): void {
    while (this.next < this.backlog.length) {
      if (this.io.isCongested()) return this.io.pause();
      const hold = this.io.process(this.backlog[this.next]!);
      if (hold > 0) {
        this.holding = true;
        this.io.pause();
        setTimeout(() => {
          this.holding = false;
          if (this.io.isOpen()) this.drain();
        }, hold);
        return;
      }
      this.next += 1;
    }
    this.backlog = [];
    this.next = 0;
    this.io.resume();
  }
}

/** A link that sends CoT events to a device that spoke TAK Protocol v1, in the same form (mesh or stream). */
function takLink(link: UnitLink, frame: (payload: Buffer) => Buffer): UnitLink {
  return {
    protocol: link.protocol,
    isOpen: () => link.isOpen(),
    send: (event) => link.send(frame(xmlToTak(typeof event === 'string' ? event : event.toString('utf8')))),
  };
}

/** Only a JSON line can be a hello: on any other feed the parse result is never one. */
function withoutHello(parsed: ParsedFrame): Exclude<ParsedFrame, { hello: unknown }> {
  if ('hello' in parsed) return { ok: false, reason: 'unsupported', detail: 'a hello outside the JSON feed' };
  return parsed;
}
