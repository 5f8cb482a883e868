// FrameOrder: exchanges come out by request frame, within its bounds, whatever order they complete in.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { FrameOrder, type FrameKey } from '../../src/pipeline/frame-order.js';

function exchangeAt(frame: number, stream = 0, indexInStream = 0): FrameKey {
  return { frame, stream, indexInStream, lastFrame: frame + 1 };
}

function exchangeWithoutFrame(indexInStream: number): FrameKey {
  return { indexInStream };
}

describe('FrameOrder', () => {
  it('releases exchanges sorted by request frame at flush', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { maxLength: 200 }), (frames) => {
        const out: number[] = [];
        const order = new FrameOrder((ex) => out.push(ex.frame), 1_000_000, 1_000_000);
        for (const frame of frames) order.push(exchangeAt(frame));
        order.flush();
        expect(out).toEqual([...frames].sort((a, b) => a - b));
      }),
    );
  });

  it('releases early once the capture has moved the lag past an exchange, and holds no more than its bound', () => {
    const out: number[] = [];
    const order = new FrameOrder((ex) => out.push(ex.frame), 100, 3);
    order.push(exchangeAt(50));
    order.push(exchangeAt(10));
    expect(out).toEqual([]);
    order.push(exchangeAt(200));
    expect(out).toEqual([10, 50]);
    order.push(exchangeAt(201));
    order.push(exchangeAt(202));
    order.push(exchangeAt(203));
    expect(out).toEqual([10, 50, 200]);
  });

  it('passes exchanges without frames (HAR, proxy) straight through', () => {
    const out: number[] = [];
    const order = new FrameOrder((ex) => out.push(ex.indexInStream));
    order.push(exchangeWithoutFrame(2));
    order.push(exchangeWithoutFrame(1));
    expect(out).toEqual([2, 1]);
  });
});

describe('FrameOrder on a live capture (holdAtMost)', () => {
  it('releases, in order, what has waited the hold time, and holds what came later', async () => {
    vi.useFakeTimers();
    try {
      const out: number[] = [];
      const order = new FrameOrder((ex) => out.push(ex.frame));
      order.holdAtMost(1_000);
      order.push(exchangeAt(20));
      order.push(exchangeAt(10));
      vi.advanceTimersByTime(600);
      order.push(exchangeAt(30));
      expect(out).toEqual([]);
      vi.advanceTimersByTime(400);
      expect(out).toEqual([10, 20]);
      vi.advanceTimersByTime(600);
      expect(out).toEqual([10, 20, 30]);
      // Nothing held, no timer left behind.
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never releases on time without holdAtMost (a file), and flush stops the timer', () => {
    vi.useFakeTimers();
    try {
      const out: number[] = [];
      const file = new FrameOrder((ex) => out.push(ex.frame));
      file.push(exchangeAt(5));
      expect(vi.getTimerCount()).toBe(0);
      vi.advanceTimersByTime(60_000);
      expect(out).toEqual([]);
      const live = new FrameOrder((ex) => out.push(ex.frame));
      live.holdAtMost(1_000);
      live.push(exchangeAt(7));
      expect(vi.getTimerCount()).toBe(1);
      live.flush();
      expect(vi.getTimerCount()).toBe(0);
      expect(out).toEqual([7]);
    } finally {
      vi.useRealTimers();
    }
  });
});
