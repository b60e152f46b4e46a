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
  const none = { allowed: [], publicOrigin: undefined };

  it('without a list, allows a loopback origin on the port the request came in on, never by the Host header', () => {
    for (const origin of [
      'http://127.0.0.1:3000',
      'http://localhost:3000',
      'http://[::1]:3000',
      'http://127.8.9.10:3000',
    ]) {
      expect(originAllowed(origin, 3000, none), origin).toBe(true);
    }
    for (const origin of [
      'http://127.0.0.1:3001',
      'http://localhost',
      'https://evil.example',
      'http://evil.example:3000',
      'http://10.0.0.1:3000',
    ]) {
      expect(originAllowed(origin, 3000, none), origin).toBe(false);
    }
  });

  it("without a list, allows the public URL's origin: scheme, host and port compared whole, default ports alike", () => {
    const policy = { allowed: [], publicOrigin: 'https://dialogue.example' };
    expect(originAllowed('https://dialogue.example', 443, policy)).toBe(true);
    expect(originAllowed('https://dialogue.example:443', 3000, policy)).toBe(true);
    expect(originAllowed('HTTPS://Dialogue.Example', 3000, policy)).toBe(true);
    for (const origin of [
      'http://dialogue.example',
      'https://dialogue.example:8443',
      'https://dialogue.example.evil.example',
      'wss://dialogue.example',
    ]) {
      expect(originAllowed(origin, 3000, policy), origin).toBe(false);
    }
  });

  it('allows exactly the configured origins when a list is given', () => {
    const policy = { allowed: ['https://app.example'], publicOrigin: 'https://api.example' };
    expect(originAllowed('https://app.example', 3000, policy)).toBe(true);
    expect(originAllowed('https://api.example', 3000, policy)).toBe(false);
    expect(originAllowed('http://127.0.0.1:3000', 3000, policy)).toBe(false);
  });

  it('refuses null, unparsable origins and anything more than an origin', () => {
    const policy = { allowed: ['https://app.example'], publicOrigin: undefined };
    for (const origin of [
      'null',
      'not a url',
      '',
      'https://app.example/path',
      'https://user@app.example',
      'https://app.example/?x',
      'file:///etc',
    ]) {
      expect(originAllowed(origin, 3000, policy), origin).toBe(false);
    }
  });

  it('judges a request without Origin (not a browser) by its token alone', () => {
    expect(originAllowed(undefined, 3000, { allowed: ['https://app.example'], publicOrigin: undefined })).toBe(true);
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
    expect(topicsOf(stored('group-strategic', { groupId: 'strategic', entityId: 'europol' }))).toEqual([
      'log',
      'group:strategic',
    ]);
    expect(topicsOf(stored('token-t1', { tokenId: 't1' }))).toEqual(['log']);
  });
});

describe('client messages', () => {
  it('accepts the four message types and refuses unknown fields and types', () => {
    expect(parseClientMessage('{"type":"subscribe","topic":"log","since":3}')).toEqual({
      type: 'subscribe',
      topic: 'log',
      since: 3,
    });
    expect(parseClientMessage('{"type":"ping"}')).toEqual({ type: 'ping' });
    expect(typeof parseClientMessage('{"type":"ping","x":1}')).toBe('string');
    expect(typeof parseClientMessage('{"type":"dance"}')).toBe('string');
    expect(typeof parseClientMessage('{"type":"subscribe","topic":"log","since":-1}')).toBe('string');
    expect(parseClientMessage('[')).toBe('the message is not valid JSON');
  });
});

describe('pre-encoded text frames', () => {
  it('encodes the payload length in the 7-bit, 16-bit and 64-bit forms', () => {
    for (const [length, header] of [
      [5, 2],
      [300, 4],
      [70_000, 10],
    ] as const) {
      const text = 'é'.repeat(length / 5) + 'x'.repeat(length - (2 * length) / 5);
      const frame = textFrame(text);
      expect(frame.wire[0]).toBe(0x81);
      expect(frame.wire.length - frame.payload.length).toBe(header);
      expect(frame.payload.toString('utf8')).toBe(text);
    }
  });
});
