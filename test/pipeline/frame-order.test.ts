// FrameOrder: exchanges come out by request frame, within its bounds, whatever order they complete in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
