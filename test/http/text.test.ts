import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken, TokenRequestError } from '../../src/tokens/tokens';
import { SYSTEM_ACTOR } from '../../src/dialogue/reference';
import type { TestContext } from '../support/app';
import { createWriters, everyWrite, otherWrites, type WritersContext } from '../support/writes';
import { type client, problem } from '../proposals/support';

let writers: WritersContext;
let t: TestContext;
let api: ReturnType<typeof client>;
let author: string;
let chair: string;

beforeAll(async () => {
  writers = await createWriters();
  ({ t, api, author, chair } = writers);
});
afterAll(async () => t.close());

type BodySchema = { $ref?: string; properties?: Record<string, { type?: string; pattern?: string; enum?: unknown[] }> };
interface OpenApiBody {
  content?: { 'application/json'?: { schema?: BodySchema } };
}

describe('free text in request bodies', () => {
  it('checks every free-text field of every write body: the OpenAPI document lists no other', async () => {
    const doc = (await api.get(author, '/docs/json')).json() as {
      paths: Record<string, Record<string, { requestBody?: OpenApiBody }>>;
      components: { schemas: Record<string, BodySchema> };
    };
    // Request bodies are named components: follow the reference.
    const resolve = (schema: BodySchema | undefined) =>
      schema?.$ref ? doc.components.schemas[schema.$ref.split('/').pop() ?? ''] : schema;
    const free = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, operation]) =>
        Object.entries(resolve(operation.requestBody?.content?.['application/json']?.schema)?.properties ?? {})
          .filter(([, schema]) => schema.type === 'string' && schema.pattern === undefined && schema.enum === undefined)
          .map(([field]) => `${method} ${path} ${field}`),
      ),
    );
    const writes = [...(await everyWrite(writers)), ...(await otherWrites(writers))];
    const covered = writes.flatMap(({ method, path, fields }) =>
      fields.map((field) => `${(method ?? 'POST').toLowerCase()} ${path} ${field}`),
    );
    expect(covered.sort()).toEqual(free.sort());
  });

  it('refuses a control character in every free-text field, naming the field, the character and where it is', async () => {
    const head = t.runtime.store.reader.head().position;
    let tried = 0;
    for (const { method, token, url, body, fields } of [
      ...(await everyWrite(writers)),
      ...(await otherWrites(writers)),
    ]) {
      const before = t.runtime.store.reader.head().position;
      for (const field of fields) {
        for (const [text, code, where] of [
          ['ab\u0007c', '0007', 3],
          ['\u001b[31mred', '001B', 1],
          ['x\u007f', '007F', 2],
          ['y\u0085', '0085', 2],
        ] as const) {
          const payload = { ...body, [field]: text };
          const res =
            method === undefined
              ? await api.post(token, url, payload)
              : await t.app.inject({ method, url, headers: t.auth(token), payload });
          expect(res.statusCode, `${url} ${field}`).toBe(400);
          expect(problem(res).errors, `${url} ${field}`).toContainEqual({
            path: `body.${field}`,
            message: `must not contain the control character U+${code} (character ${where})`,
          });
          tried += 1;
        }
      }
      expect(t.runtime.store.reader.head().position).toBe(before);
    }
    expect(tried).toBeGreaterThan(0);
    expect(head).toBeLessThan(t.runtime.store.reader.head().position);
  });

  it('refuses an unpaired surrogate, which is no character and JSON would write as a six-byte escape', async () => {
    for (const [text, code, where] of [
      ['a\ud800b', 'D800', 2],
      ['\udfff', 'DFFF', 1],
      ['😀 then \ud83d', 'D83D', 8],
    ] as const) {
      const res = await api.post(author, '/groups/strategic/proposals', { title: 'Surrogates', body: text });
      expect(res.statusCode, text).toBe(400);
      expect(problem(res).errors).toContainEqual({
        path: 'body.body',
        message: `must not contain the unpaired surrogate U+${code} (character ${where})`,
      });
    }
    expect(
      (await api.post(author, '/groups/strategic/proposals', { title: 'Pairs', body: '😀 a pair is one character' }))
        .statusCode,
    ).toBe(201);
  });

  it('accepts tab and line breaks in text', async () => {
    const id = await api.submit(author, 'strategic', { body: 'First line\n\tindented\r\nlast' });
    expect((await api.get(author, `/proposals/${id}`)).json().body).toBe('First line\n\tindented\r\nlast');
  });

  it('refuses text made only of invisible characters as blank', async () => {
    const invisible = [
      '',
      '  ',
      '\u200B',
      '\u2800',
      '\u3164',
      '\u00AD',
      '\u115F\u1160',
      '\uFFA0',
      '\u200B\u200D\u2060\uFEFF',
      '\u0301\u0308',
      ' \u2800 \u200B ',
      '\uFE0F',
      '\u180E',
    ];
    for (const text of invisible) {
      const label = [...text].map((c) => c.codePointAt(0)?.toString(16)).join(' ');
      const res = await api.post(author, '/groups/strategic/proposals', { title: text, body: text });
      expect(res.statusCode, label).toBe(400);
      expect(problem(res).errors, label).toEqual([
        { path: 'body.title', message: 'must not be blank' },
        { path: 'body.body', message: 'must not be blank' },
      ]);
    }
  });

  it('refuses bidirectional controls and tag characters in titles, naming them; longer text keeps right-to-left marks', async () => {
    const proposal = await api.submit(author, 'strategic');
    for (const [title, message] of [
      ['invoice\u202Etxt.exe', 'must not contain the bidirectional control U+202E (character 8)'],
      ['\u2066hidden\u2069', 'must not contain the bidirectional control U+2066 (character 1)'],
      ['a\u061Cb', 'must not contain the bidirectional control U+061C (character 2)'],
      ['left\u200Fright', 'must not contain the bidirectional control U+200F (character 5)'],
      ['Agenda\u{E0049}\u{E0067}\u{E006E}', 'must not contain the tag character U+E0049 (character 7)'],
      [
        '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} \u{E0041}',
        'must not contain the tag character U+E0041 (character 9)',
      ],
    ]) {
      for (const [url, body] of [
        ['/groups/strategic/proposals', { title, body: 'b' }],
        [`/proposals/${proposal}/revisions`, { title }],
      ] as const) {
        const res = await api.post(author, url, body);
        expect(res.statusCode, `${url} ${title}`).toBe(400);
        expect(problem(res).errors, `${url} ${title}`).toEqual([{ path: 'body.title', message }]);
      }
      const item = await api.post(chair, '/groups/strategic/action-items', {
        title,
        ownerEntityId: 'afripol',
        dueDate: '2026-12-01',
      });
      expect(problem(item).errors).toEqual([{ path: 'body.title', message }]);
    }
    const arabic = 'النص \u200Fالعربي\u200F (A1)';
    const id = await api.submit(author, 'strategic', { body: arabic });
    expect((await api.get(author, `/proposals/${id}`)).json().body).toBe(arabic);
  });

  it('stores text NFC-normalised: a decomposed é is stored as the composed one', async () => {
    const id = await api.submit(author, 'strategic', {
      title: 'Caf\u0065\u0301 cooperation',
      body: 'Re\u0301sume\u0301',
    });
    const view = (await api.get(author, `/proposals/${id}`)).json();
    expect(view.title).toBe('Caf\u00e9 cooperation');
    expect(view.body).toBe('R\u00e9sum\u00e9');
  });

  it('accepts Arabic, Chinese, emoji with zero-width joiners and flags in titles', async () => {
    const titles = [
      'خطة العمل المشتركة',
      '联合行动计划',
      '\u{1F469}\u200D\u{1F4BB}',
      'Family \u{1F468}\u200D\u{1F469}\u200D\u{1F467} desk',
      '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} Scotland',
      'Ελληνικά, हिन्दी, 한국어',
    ];
    for (const title of titles) {
      const id = await api.submit(author, 'strategic', { title });
      expect((await api.get(author, `/proposals/${id}`)).json().title).toBe(title);
    }
  });
});

describe('token names', () => {
  it("holds a token's person name to the rules of a title", async () => {
    const issue = (person: string) =>
      issueToken(
        t.runtime.store,
        t.runtime.directory,
        { role: 'delegate', entityId: 'europol', person },
        { ...SYSTEM_ACTOR },
        'name-test',
      );
    await expect(issue('Ann\u202Eenile')).rejects.toThrow(
      new TokenRequestError('--name must not contain the bidirectional control U+202E (character 4)'),
    );
    await expect(issue('Ann\u0007')).rejects.toThrow(/--name must not contain the control character U\+0007/);
    await expect(issue('\u200B\u3164')).rejects.toThrow('a token belongs to a person: give --name');
    const { token } = await issue('  Jose\u0301 ');
    expect(t.runtime.tokens.authenticate(token)?.person).toBe('Jos\u00e9');
  });
});
