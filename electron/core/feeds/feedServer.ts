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
import type { Logger } from '../logger';
import type { Site } from '../site/siteConfig';
import { CotStreamFramer } from './framing/cotStreamFramer';
import type { Frame } from './framing/frames';
import { LineFramer } from './framing/lineFramer';
import { parseCotEvent } from './cot/parseCotEvent';
import type { Parsed } from './feedMessage';
import type { FeedIngest, Origin } from './ingest';
import { JSON_FEED_VERSION, MAX_JSON_LINE_BYTES } from './jsonLines/schema';
import { parseJsonLine } from './jsonLines/parseJsonLine';
import { parseNmeaSentence } from './nmea/parseNmeaSentence';
import type { Outbound, UnitLink } from './outbound';

/** Port overrides, e.g. all 0 in tests so several cores run side by side. */
export interface FeedPorts {
  cotUdp?: number;
  cotTcp?: number;
  nmea?: Record<string, { udp?: number; tcp?: number }>;
  jsonTcp?: number;
  jsonWs?: number;
}

const MAX_CONNECTIONS_PER_LISTENER = 512;
const MAX_NMEA_LINE_BYTES = 200;
const MAX_COT_EVENT_BYTES = 64 * 1024;
/** Stop writing replies to a peer that does not read them. */
const MAX_PENDING_REPLY_BYTES = 1 << 20;
const MULTICAST_GROUP = '239.2.3.1';

export class FeedServer {
  readonly listeners: FeedListenerView[] = [];
  private readonly closers: (() => Promise<void>)[] = [];
  private readonly tcpSockets = new Set<net.Socket>();
  private readonly wsSockets = new Set<WebSocket>();
  private congested = false;

  constructor(
    private readonly site: Site,
    private readonly ingest: FeedIngest,
    private readonly outbound: Outbound,
    private readonly logger: Logger,
  ) {
    ingest.onCongestion((congested) => {
      this.congested = congested;
      if (congested) this.logger.warn('feed pipeline congested: pausing TCP and WebSocket sources until it drains');
      for (const socket of this.tcpSockets) {
        if (congested) socket.pause();
        else socket.resume();
      }
      for (const ws of this.wsSockets) {
        if (congested) ws.pause();
        else ws.resume();
      }
    });
  }

  async start(ports: FeedPorts = {}): Promise<void> {
    const { host, cot, nmea, json } = this.site.listeners;
    await this.udp('CoT mesh', 'cot', host, ports.cotUdp ?? cot.udp, (frame, origin) => this.cotFrame(frame, origin), cot.multicast);
    await this.tcp('CoT stream', 'cot', host, ports.cotTcp ?? cot.tcp, () => new CotStreamFramer(MAX_COT_EVENT_BYTES), (frame, origin, link) => this.cotFrame(frame, origin, link));
    for (const listener of nmea) {
      const radar = this.site.sensors.find((sensor) => sensor.id === listener.sensor)!;
      const target = { id: radar.id, position: radar.position };
      const parse = (frame: Buffer) => (t: number) => parseNmeaSentence(frame.toString('latin1'), target, t);
      const override = ports.nmea?.[radar.id];
      // A datagram may carry several sentences: each is a message of its own.
      const sentences = (datagram: Buffer, origin: Origin) => {
        const lines = datagram.toString('latin1').split('\n').filter((line) => line.trim() !== '');
        lines.forEach((line, index) => {
          // The datagram was admitted as one message; further sentences take their own share.
          if (index > 0 && this.ingest.admit(origin) > 0) return;
          const frame = Buffer.from(line, 'latin1');
          this.ingest.receive(origin, frame, parse(frame));
        });
      };
      await this.udp(`NMEA ${radar.id}`, 'nmea', host, override?.udp ?? listener.udp, sentences, false, radar.id);
      await this.tcp(`NMEA ${radar.id}`, 'nmea', host, override?.tcp ?? listener.tcp, () => new LineFramer(MAX_NMEA_LINE_BYTES), (frame, origin) => this.ingest.receive(origin, frame, parse(frame)), radar.id);
    }
    await this.tcp('JSON lines', 'json', host, ports.jsonTcp ?? json.tcp, () => new LineFramer(MAX_JSON_LINE_BYTES), (frame, origin, link) => this.jsonFrame(frame.toString('utf8'), origin, link));
    await this.websocket(host, ports.jsonWs ?? json.ws);
  }

  async close(): Promise<void> {
    for (const socket of this.tcpSockets) socket.destroy();
    for (const ws of this.wsSockets) ws.terminate();
    await Promise.all(this.closers.map((close) => close()));
  }

  private cotFrame(frame: Buffer, origin: Origin, link?: UnitLink) {
    const result = this.ingest.receive(origin, frame, (t) => parseCotEvent(frame, this.site, t));
    if (link && result.units) for (const unit of result.units) this.outbound.bind(unit, link);
    return result;
  }

  private jsonFrame(line: string, origin: Origin, link?: UnitLink) {
    const result = this.ingest.receive(origin, line, (t): Parsed => {
      const parsed = parseJsonLine(line, t);
      if (!parsed.ok) return parsed;
      if (!('hello' in parsed)) return { ok: true, messages: [parsed.message] };
      const checked = this.ingest.checkHello(parsed.hello);
      if (!checked.ok) return checked;
      origin.bound = checked.bound;
      if (checked.bound.unit && link) this.outbound.bind(checked.bound.unit, link);
      return { ok: true, messages: [] };
    });
    if (link && result.units) for (const unit of result.units) this.outbound.bind(unit, link);
    // Tell the device integrator why a line was refused.
    if (link) for (const refusal of result.refused ?? []) link.send(JSON.stringify({ v: JSON_FEED_VERSION, type: 'rejected', reason: refusal.reason, detail: refusal.detail }));
    return result;
  }

  private udp(name: string, protocol: FeedProtocol, host: string, port: number, onFrame: (frame: Buffer, origin: Origin, link?: UnitLink) => unknown, multicast = false, sensor?: string): Promise<void> {
    // A larger receive buffer rides out bursts (the kernel caps it at net.core.rmem_max).
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: multicast, recvBufferSize: 4 << 20 });
    socket.on('message', (message, remote) => {
      const origin: Origin = { protocol, transport: 'udp', key: `${protocol}/udp/${remote.address}:${remote.port}` };
      // Over its rate, a datagram is dropped (and counted): UDP has no way to slow the sender.
      if (this.ingest.admit(origin) > 0) return;
      const link: UnitLink = { protocol: protocol === 'cot' ? 'cot' : 'json', send: (frame) => (socket.send(frame, remote.port, remote.address), true), isOpen: () => true };
      onFrame(message, origin, link);
    });
    socket.on('error', (error) => this.logger.warn(`${name} UDP: ${error.message}`));
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        if (multicast) {
          try {
            socket.addMembership(MULTICAST_GROUP);
          } catch (error) {
            this.logger.warn(`${name}: cannot join ${MULTICAST_GROUP}: ${error instanceof Error ? error.message : String(error)}`);
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
  ): Promise<void> {
    const server = net.createServer((socket) => {
      if (this.tcpSockets.size >= MAX_CONNECTIONS_PER_LISTENER * 8) return socket.destroy();
      this.tcpSockets.add(socket);
      if (this.congested) socket.pause();
      const origin: Origin = { protocol, transport: 'tcp', key: `${protocol}/tcp/${socket.remoteAddress}:${socket.remotePort}` };
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
      // Frames of the last chunk not yet admitted by the rate limit (at most one chunk's worth).
      let backlog: Frame[] = [];
      let holding = false;
      const drain = () => {
        while (backlog.length > 0) {
          const hold = this.dispatchFrame(backlog[0]!, origin, link, onFrame);
          if (hold > 0) {
            // Over its rate: stop reading this source until its allowance
            // returns; TCP flow control then slows the sender. Nothing is dropped.
            holding = true;
            socket.pause();
            setTimeout(() => {
              holding = false;
              if (!socket.destroyed) drain();
            }, hold);
            return;
          }
          backlog.shift();
        }
        if (!this.congested && !socket.destroyed) socket.resume();
      };
      socket.on('data', (chunk: Buffer) => {
        backlog = backlog.length === 0 ? frames.push(chunk) : backlog.concat(frames.push(chunk));
        if (!holding) drain();
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.tcpSockets.delete(socket);
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
  private dispatchFrame(frame: Frame, origin: Origin, link: UnitLink, onFrame: (frame: Buffer, origin: Origin, link: UnitLink) => unknown): number {
    const hold = this.ingest.admit(origin);
    if (hold > 0) return hold;
    if (Buffer.isBuffer(frame)) {
      onFrame(frame, origin, link);
      return 0;
    }
    const [reason, detail] = 'oversized' in frame ? (['oversized', `frame over the size limit (${frame.bytes.length}+ bytes)`] as const) : (['unsupported', `${frame.unsupported}: Vigie reads CoT XML only`] as const);
    this.ingest.rejectRaw(origin, frame.bytes, reason, detail);
    if (origin.protocol === 'json') link.send(JSON.stringify({ v: JSON_FEED_VERSION, type: 'rejected', reason, detail }));
    return 0;
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
    const wss = new WebSocketServer({ host, port, maxPayload: MAX_JSON_LINE_BYTES * 64 });
    wss.on('connection', (ws, request) => {
      this.wsSockets.add(ws);
      if (this.congested) ws.pause();
      const origin: Origin = { protocol: 'json', transport: 'ws', key: `json/ws/${request.socket.remoteAddress}:${request.socket.remotePort}` };
      const link: UnitLink = {
        protocol: 'json',
        send: (frame) => {
          if (ws.readyState !== ws.OPEN || ws.bufferedAmount > MAX_PENDING_REPLY_BYTES) return false;
          ws.send(frame);
          return true;
        },
        isOpen: () => ws.readyState === ws.OPEN,
      };
      // Lines not yet admitted by the rate limit; the socket is paused meanwhile.
      const backlog: string[] = [];
      let holding = false;
      const drain = () => {
        while (backlog.length > 0) {
          const hold = this.ingest.admit(origin);
          if (hold > 0) {
            holding = true;
            ws.pause();
            setTimeout(() => {
              holding = false;
              if (ws.readyState === ws.OPEN) drain();
            }, hold);
            return;
          }
          this.jsonFrame(backlog.shift()!, origin, link);
        }
        if (!this.congested) ws.resume();
      };
      ws.on('message', (data, isBinary) => {
        const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
        // A message may carry several lines.
        for (const line of text.split('\n')) if (line.trim()) backlog.push(line.replace(/\r$/, ''));
        if (!holding) drain();
      });
      ws.on('error', () => undefined);
      ws.on('close', () => {
        this.wsSockets.delete(ws);
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
