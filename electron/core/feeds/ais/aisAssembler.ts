// Puts multi-sentence AIS messages (a type 5 is two sentences) back together.
// Parts of one message share source, talker, channel and sequential id; they
// may arrive in any order, interleaved with other messages. A message whose
// parts do not all arrive within the timeout is given up: its parts are
// handed back to be quarantined, and are never decoded or drawn.
import type { AisSentence } from './aisSentence';

/** Parts of one message come within milliseconds of each other; satellites and forwarders may lag a few seconds. */
export const AIS_PART_TIMEOUT_MS = 5_000;
/** Groups held at once per assembler; past it the oldest is given up (a flood of first halves cannot grow memory). */
const MAX_PENDING_GROUPS = 1_000;

export interface AssembledMessage {
  payload: string;
  fill: number;
  /** The first sentence (talker, own, channel, TAG block). */
  first: AisSentence;
  /** Every line as received, in part order. */
  raw: string[];
}

/** Parts of a message given up, with why. */
export interface AbandonedParts<C> {
  raw: string[];
  detail: string;
  /** What the caller gave with the first part (where the parts came from). */
  context: C;
}

interface Group<C> {
  context: C;
  sentences: (AisSentence | undefined)[];
  raw: (string | undefined)[];
  received: number;
  started: number;
}

export class AisAssembler<C> {
  private readonly groups = new Map<string, Group<C>>();

  constructor(private readonly timeoutMs = AIS_PART_TIMEOUT_MS) {}

  /**
   * Adds one sentence. Returns the complete message when this was its last
   * missing part, and any group it displaced (a sentence number seen twice
   * means the sender reused the id: the earlier message will never complete).
   */
  push(sourceKey: string, sentence: AisSentence, raw: string, now: number, context: C): { message?: AssembledMessage; abandoned: AbandonedParts<C>[] } {
    const abandoned: AbandonedParts<C>[] = [];
    if (sentence.total === 1) return { message: { payload: sentence.payload, fill: sentence.fill, first: sentence, raw: [raw] }, abandoned };
    const key = `${sourceKey}\u0000${sentence.talker}${sentence.own ? 'O' : 'M'}\u0000${sentence.channel}\u0000${sentence.sequence}\u0000${sentence.total}`;
    let group = this.groups.get(key);
    if (group && group.sentences[sentence.part - 1]) {
      abandoned.push(
        this.abandon(key, group, `sentence ${sentence.part} of ${sentence.total} came again (id ${sentence.sequence}) before the message was complete`),
      );
      group = undefined;
    }
    if (!group) {
      if (this.groups.size >= MAX_PENDING_GROUPS) {
        const [oldestKey, oldest] = this.groups.entries().next().value!;
        abandoned.push(this.abandon(oldestKey, oldest, `more than ${MAX_PENDING_GROUPS} incomplete messages held: the oldest is given up`));
      }
      group = { context, sentences: new Array(sentence.total).fill(undefined), raw: new Array(sentence.total).fill(undefined), received: 0, started: now };
      this.groups.set(key, group);
    }
    group.sentences[sentence.part - 1] = sentence;
    group.raw[sentence.part - 1] = raw;
    group.received += 1;
    if (group.received < sentence.total) return { abandoned };
    this.groups.delete(key);
    const sentences = group.sentences as AisSentence[];
    return {
      message: {
        payload: sentences.map((part) => part.payload).join(''),
        fill: sentences[sentences.length - 1]!.fill,
        first: sentences[0]!,
        raw: group.raw as string[],
      },
      abandoned,
    };
  }

  /** Gives up every group older than the timeout. */
  expire(now: number): AbandonedParts<C>[] {
    const out: AbandonedParts<C>[] = [];
    for (const [key, group] of this.groups) {
      if (now - group.started < this.timeoutMs) continue;
      const missing = group.sentences.flatMap((part, index) => (part ? [] : [index + 1]));
      out.push(
        this.abandon(
          key,
          group,
          `incomplete message: sentence ${missing.join(', ')} of ${group.sentences.length} never came within ${this.timeoutMs / 1000} s`,
        ),
      );
    }
    return out;
  }

  get pending(): number {
    return this.groups.size;
  }

  private abandon(key: string, group: Group<C>, detail: string): AbandonedParts<C> {
    this.groups.delete(key);
    return { raw: group.raw.filter((line): line is string => line !== undefined), detail, context: group.context };
  }
}
