// Devices whose site entry has a secret sign every message they send. The
// signature is made when the message is handed to the link — not when the
// simulation produced it — so its counter is the send time, as a real
// device's would be.
import type { Site } from '../../../shared/site';
import type { SimEndpoint, SimMessage } from '../simulation';
import { MacCounter, signCot, signJsonLine, signNmea } from '../encode/auth';
import type { Link } from './links';

/** The signer for an endpoint's messages, or undefined when its sensor has no secret (units have none). */
export function signerFor(
  site: Site,
  endpoint: Pick<SimEndpoint, 'protocol' | 'id'>,
  nowMs: () => number = Date.now,
): ((message: SimMessage) => string) | undefined {
  const sensor = site.sensors.find((candidate) => candidate.id === endpoint.id);
  const secret = sensor?.secret;
  if (!sensor || secret === undefined) return undefined;
  const counter = new MacCounter(nowMs);
  return (message) => {
    switch (message.protocol) {
      case 'nmea':
        return signNmea(message.text, sensor.id, secret, counter.next());
      case 'cot':
        return signCot(message.text, sensor.id, secret, counter.next());
      case 'ais':
        // AIS receivers forward what ships broadcast in clear: nothing to sign (docs/ais.md).
        return message.text;
      case 'json':
        // The hello binds the connection already; signing its lines too costs nothing and survives a proxy that splits connections.
        return message.kind === 'hello' ? message.text : signJsonLine(message.text, sensor.id, secret, counter.next());
    }
  };
}

/** A link that signs each message as it goes out. */
export class SigningLink implements Link {
  constructor(
    private readonly inner: Link,
    private readonly sign: (message: SimMessage) => string,
  ) {}

  send(message: SimMessage): void {
    this.inner.send({ ...message, text: this.sign(message) });
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
