// Puts exchanges back in the order of their request frames (as Wireshark lists them), within a bound.
import type { HttpExchange } from '../model/index.js';

/** What FrameOrder sorts by: the request's frame, then stream and position in it. */
export interface FrameKey {
  /** The request's frame; absent without frames (HAR, proxy). */
  readonly frame?: number;
  readonly stream?: number;
  readonly indexInStream: number;
  /** The last frame the item covers (its response's), to know how far the capture has come. */
  readonly lastFrame?: number;
}

/** What FrameOrder holds for an exchange: its sort key and `value`, in one object (a spread of the key showed in profiles). */
export function framed<V>(ex: HttpExchange, value: V): FrameKey & { readonly value: V } {
  return { frame: ex.request.frame, stream: ex.stream, indexInStream: ex.indexInStream, lastFrame: ex.response?.frame ?? ex.request.frame, value };
}

/** How long a live capture's exchange waits for earlier ones at most (see FrameOrder.holdAtMost). */
export const LIVE_HOLD_MS = 1_000;

/**
 * Exchanges are complete when their response is, so they arrive out of request order across
 * streams. This holds small items (summaries, not exchanges with bodies) in a min-heap by request
 * frame and releases one once the capture has moved `lagFrames` past it or more than `maxHeld`
 * wait: memory stays bounded, and only an exchange open longer than the lag can come out late.
 * On a live capture (`holdAtMost`) an item is also released once it has waited that long, so a
 * quiet capture still shows what it has; a file never sets it, so its order does not depend on time.
 */
export class FrameOrder<T extends FrameKey> {
  readonly #heap: T[] = [];
  readonly #emit: (item: T) => void;
  readonly #lagFrames: number;
  readonly #maxHeld: number;
  #latestFrame = 0;
  /** With holdAtMost: each held item's frame and arrival, oldest first (an item released by count leaves its entry until the timer passes it). */
  readonly #arrivals: { readonly frame: number; readonly at: number }[] = [];
  #maxHoldMs: number | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(emit: (item: T) => void, lagFrames = 4_096, maxHeld = 256) {
    this.#emit = emit;
    this.#lagFrames = lagFrames;
    this.#maxHeld = maxHeld;
  }

  push(item: T): void {
    // Without frames (HAR, proxy) the arrival order is the order.
    if (item.frame === undefined) {
      this.#emit(item);
      return;
    }
    this.#latestFrame = Math.max(this.#latestFrame, item.frame, item.lastFrame ?? item.frame);
    this.#insert(item);
    if (this.#maxHoldMs !== undefined) this.#arrived(item.frame);
    while (this.#heap.length > 0 && (this.#heap.length > this.#maxHeld || this.#latestFrame - this.#heap[0]!.frame! > this.#lagFrames)) {
      this.#emit(this.#popMin());
    }
    this.#scheduleRelease();
  }

  /**
   * From now on no item waits longer than `ms` (a live capture: exchanges show while it is being
   * written). A timer (unref'd: it never keeps the process alive) releases, in order, every item
   * up to the frame of the oldest one that has waited that long.
   */
  holdAtMost(ms: number): void {
    this.#maxHoldMs = ms;
  }

  /** Releases everything still held, in order (end of a capture), and stops the timer. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#arrivals.length = 0;
    while (this.#heap.length > 0) this.#emit(this.#popMin());
    this.#latestFrame = 0;
  }

  #arrived(frame: number): void {
    const arrivals = this.#arrivals;
    arrivals.push({ frame, at: performance.now() });
    // Entries of items released by count are dropped here too, so the list stays as small as the heap.
    if (arrivals.length > 2 * this.#maxHeld) {
      const lowest = this.#heap[0]?.frame ?? Infinity;
      const kept = arrivals.filter((arrival) => arrival.frame >= lowest);
      arrivals.length = 0;
      arrivals.push(...kept);
    }
  }

  #scheduleRelease(): void {
    const maxHoldMs = this.#maxHoldMs;
    const oldest = this.#arrivals[0];
    if (maxHoldMs === undefined || this.#timer !== undefined || oldest === undefined) return;
    const delay = Math.max(0, oldest.at + maxHoldMs - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#releaseWaited(maxHoldMs);
      this.#scheduleRelease();
    }, delay);
    this.#timer.unref();
  }

  /** Releases every item up to the latest frame among those that have waited `maxHoldMs`. */
  #releaseWaited(maxHoldMs: number): void {
    const now = performance.now();
    let upTo = -Infinity;
    while (this.#arrivals.length > 0 && this.#arrivals[0]!.at + maxHoldMs <= now) upTo = Math.max(upTo, this.#arrivals.shift()!.frame);
    while (this.#heap.length > 0 && this.#heap[0]!.frame! <= upTo) this.#emit(this.#popMin());
  }

  /** Items held have frames (and so tcp.streams): those without pass straight through. */
  #before(a: T, b: T): boolean {
    const aFrame = a.frame ?? 0;
    const bFrame = b.frame ?? 0;
    if (aFrame !== bFrame) return aFrame < bFrame;
    const aStream = a.stream ?? -1;
    const bStream = b.stream ?? -1;
    return aStream < bStream || (aStream === bStream && a.indexInStream < b.indexInStream);
  }

  #insert(item: T): void {
    const heap = this.#heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const child = heap[i]!;
      if (!this.#before(child, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      heap[parent] = child;
      i = parent;
    }
  }

  #popMin(): T {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.#before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && this.#before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        const held = heap[i]!;
        heap[i] = heap[smallest]!;
        heap[smallest] = held;
        i = smallest;
      }
    }
    return top;
  }
}
