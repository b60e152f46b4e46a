import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/eventStore/types';
import { parseClientMessage } from '../../src/live/protocol';
import { originAllowed } from '../../src/live/routes';
import { parseTopic, topicsOf } from '../../src/live/topics';
import { textFrame } from '../../src/live/wire';

function stored(streamId: string, data: Record<string, unknown>): StoredEvent {
  return {
    position: 7,
    id: 'e7',
    streamId,
    version: 1,
    type: 'Something',
    data,
    metadata: { actor: { entityId: null, person: 'p', role: 'secretariat' }, requestId: 'r' },
    recordedAt: '2026-03-02T09:00:00.000Z',
    prevHash: '0',
    hash: '1',
  };
}

describe('origin allow-list', () => {
  it('allows only the request host when no list is configured', () => {
    expect(originAllowed('http://127.0.0.1:3000', '127.0.0.1:3000', [])).toBe(true);
    expect(originAllowed('https://evil.example', '127.0.0.1:3000', [])).toBe(false);
    expect(originAllowed('not a url', '127.0.0.1:3000', [])).toBe(false);
  });

  it('allows exactly the configured origins when a list is given', () => {
    expect(originAllowed('https://app.example', 'api.example', ['https://app.example'])).toBe(true);
    expect(originAllowed('https://api.example', 'api.example', ['https://app.example'])).toBe(false);
  });

  it('judges a request without Origin (not a browser) by its token alone', () => {
    expect(originAllowed(undefined, 'api.example', ['https://app.example'])).toBe(true);
  });
});

describe('topics', () => {
  it('parses the four topic forms and refuses anything else', () => {
    expect(parseTopic('group:strategic')).toEqual({ kind: 'group', id: 'strategic', name: 'group:strategic' });
    expect(parseTopic('action-item:a1')).toMatchObject({ kind: 'action-item', id: 'a1' });
    expect(parseTopic('log')).toEqual({ kind: 'log', name: 'log' });
    expect(parseTopic('group:')).toBeUndefined();
    expect(parseTopic('group:a b')).toBeUndefined();
    expect(parseTopic('logs')).toBeUndefined();
  });

  it('publishes an item event on the log, its group and its item; an event without a group on the log only', () => {
    expect(topicsOf(stored('proposal-p1', { groupId: 'strategic', visibility: 'members' }))).toEqual([
      'log',
      'group:strategic',
      'proposal:p1',
    ]);
    expect(topicsOf(stored('group-strategic', { groupId: 'strategic', entityId: 'europol' }))).toEqual(['log', 'group:strategic']);
    expect(topicsOf(stored('token-t1', { tokenId: 't1' }))).toEqual(['log']);
  });
});

describe('client messages', () => {
  it('accepts the four message types and refuses unknown fields and types', () => {
    expect(parseClientMessage('{"type":"subscribe","topic":"log","since":3}')).toEqual({ type: 'subscribe', topic: 'log', since: 3 });
    expect(parseClientMessage('{"type":"ping"}')).toEqual({ type: 'ping' });
    expect(typeof parseClientMessage('{"type":"ping","x":1}')).toBe('string');
    expect(typeof parseClientMessage('{"type":"dance"}')).toBe('string');
    expect(typeof parseClientMessage('{"type":"subscribe","topic":"log","since":-1}')).toBe('string');
    expect(parseClientMessage('[')).toBe('the message is not valid JSON');
  });
});

describe('pre-encoded text frames', () => {
  it('encodes the payload length in the 7-bit, 16-bit and 64-bit forms', () => {
    for (const [length, header] of [[5, 2], [300, 4], [70_000, 10]] as const) {
      const text = 'é'.repeat(length / 5) + 'x'.repeat(length - (2 * length) / 5);
      const frame = textFrame(text);
      expect(frame.wire[0]).toBe(0x81);
      expect(frame.wire.length - frame.payload.length).toBe(header);
      expect(frame.payload.toString('utf8')).toBe(text);
    }
  });
});
