// What the stream splitters hand back for each complete unit of a TCP stream.
// A plain Buffer is a frame for the protocol adapter; the two object shapes
// are reports the pipeline quarantines as they are (with their bytes).

/** A frame longer than the framer's cap: reported once, then the framer resynchronises. */
export interface OversizedFrame {
  oversized: true;
  /** The first `maxBytes` bytes of the frame (a copy), for the quarantine. */
  bytes: Buffer;
}

/** A frame in a protocol Vigie does not speak (TAK Protocol v1 protobuf). */
export interface UnsupportedFrame {
  unsupported: 'tak-protobuf';
  /** The TAK header and the first payload bytes present (at most 64 bytes, a copy). */
  bytes: Buffer;
}

/** A TAK Protocol v1 stream frame (`0xbf <varint length> <TakMessage>`): the TakMessage bytes. */
export interface TakFrame {
  tak: Buffer;
}

export type Frame = Buffer | OversizedFrame | UnsupportedFrame | TakFrame;

export function isTak(frame: Frame): frame is TakFrame {
  return !Buffer.isBuffer(frame) && 'tak' in frame;
}

export function isOversized(frame: Frame): frame is OversizedFrame {
  return !Buffer.isBuffer(frame) && 'oversized' in frame;
}

export function isUnsupported(frame: Frame): frame is UnsupportedFrame {
  return !Buffer.isBuffer(frame) && 'unsupported' in frame;
}
