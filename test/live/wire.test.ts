import { describe, expect, it } from 'vitest';
import { FrameBatch, textFrame } from '../../src/live/wire';

describe('FrameBatch', () => {
  it('assembles the same bytes as textFrame, for every header length and for text and byte heads', () => {
    const payloads = [
      ['{"a":', '1', '}'],
      ['{"type":"event","text":"', 'é✓𝄞 '.repeat(40), '"}'],
      ['{"big":"', 'z'.repeat(70_000), '"}'],
      ['', '', ''],
      ['{"edge":"', 'q'.repeat(126 - 12), '"}'],
      ['{"edge":"', 'q'.repeat(126 - 11), '"}'],
      ['{"edge":"', 'q'.repeat(65_536 - 12), '"}'],
      ['{"edge":"', 'q'.repeat(65_536 - 11), '"}'],
    ] as const;
    const batch = new FrameBatch(64);
    const expected: Buffer[] = [];
    for (const [index, [head, middle, tail]] of payloads.entries()) {
      batch.append(index % 2 ? Buffer.from(head) : head, middle, tail);
      expected.push(textFrame(head + middle + tail).wire);
    }
    const first = batch.take();
    expect(Buffer.compare(first, Buffer.concat(expected))).toBe(0);
    // The other buffer takes the next batch; the first is left as it was (it may still be being written).
    const copy = Buffer.from(first);
    batch.append('{"next":', '2', '}');
    expect(Buffer.compare(first, copy)).toBe(0);
    expect(Buffer.compare(batch.take(), textFrame('{"next":2}').wire)).toBe(0);
  });
});
