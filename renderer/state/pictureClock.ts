// The moment the picture on screen stands for: now when live, the replayed
// moment in replay. Ages (the queue, the map's labels, the picked card) and
// staleness count from it, so a replayed track is as fresh as it was then,
// not hours old.
let replayed: number | null = null;

export function pictureNow(): number {
  return replayed ?? Date.now();
}

/** Set by replay mode with each picture it shows; null when back to live. */
export function setReplayedMoment(time: number | null): void {
  replayed = time;
}
