// One AIS listener's lines into the pipeline: each line is read
// (aisSentence.ts), parts are assembled (aisAssembler.ts), the whole message
// decoded (decodeAisMessage.ts) and mapped (aisToFeedMessages.ts) inside
// FeedIngest.receive, so a message is accepted, authorised and logged like
// any other feed message. Refused lines, and the parts of messages that
// never completed, go to the quarantine with their raw text.
import type { FeedIngest, Origin } from '../ingest';
import type { Parsed } from '../feedMessage';
import { AisAssembler, type AbandonedParts } from './aisAssembler';
import { parseAisSentence } from './aisSentence';
import { PayloadError, decodeAisMessage } from './decodeAisMessage';
import { aisToFeedMessages } from './aisToFeedMessages';

export class AisReceiver {
  private readonly assembler: AisAssembler<Origin>;

  constructor(
    /** The AIS receiver's sensor id in the site file. */
    private readonly sensor: string,
    private readonly ingest: FeedIngest,
    private readonly now: () => number,
    timeoutMs?: number,
  ) {
    this.assembler = new AisAssembler(timeoutMs);
  }

  /** One line (one sentence, with its TAG block and receiver metadata), already admitted by the rate limit. */
  line(origin: Origin, line: string): void {
    const read = parseAisSentence(line);
    if (!read.ok) return this.ingest.rejectRaw(origin, line, read.reason, read.detail);
    const { message, abandoned } = this.assembler.push(origin.key, read.sentence, line, this.now(), origin);
    this.quarantine(abandoned);
    if (!message) return;
    const sensor = this.sensor;
    this.ingest.receive(origin, message.raw.join('\n'), (receivedAt): Parsed => {
      let decoded;
      try {
        decoded = decodeAisMessage(message.payload, message.fill);
      } catch (error) {
        if (error instanceof PayloadError) return { ok: false, reason: 'bad-sentence', detail: error.message };
        throw error;
      }
      return aisToFeedMessages(decoded, sensor, message.first.tag?.time ?? receivedAt, message.first.own);
    });
  }

  /** Gives up messages whose parts did not all come in time (called every second by the feed server). */
  sweep(): void {
    this.quarantine(this.assembler.expire(this.now()));
  }

  /** Messages waiting for a part. */
  get pending(): number {
    return this.assembler.pending;
  }

  private quarantine(abandoned: AbandonedParts<Origin>[]): void {
    for (const parts of abandoned) this.ingest.rejectRaw(parts.context, parts.raw.join('\n'), 'bad-sentence', parts.detail);
  }
}
