import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ftsQuery } from '../../../src/proposals/search/search';

describe('search text', () => {
  const sqlite = new Database(':memory:');
  sqlite.exec('CREATE VIRTUAL TABLE t USING fts5(title, body)');
  sqlite.prepare('INSERT INTO t (title, body) VALUES (?, ?)').run('Ransomware response', 'NEAR data exchange');
  const search = sqlite.prepare('SELECT rowid FROM t WHERE t MATCH ?');

  it('never makes an FTS5 query fail, whatever a user types', () => {
    const syntax = fc.constantFrom('"', '*', 'NEAR(', ')', '-', '^', ':', 'OR', 'AND', 'NOT', '{', '}', '+', ' ');
    const text = fc.oneof(
      fc.string(),
      fc.array(fc.oneof(syntax, fc.string({ maxLength: 4 }))).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, fc.constantFrom('all' as const, 'any' as const), (input, mode) => {
        const query = ftsQuery(input, mode);
        if (query !== null) search.all(query);
      }),
      { numRuns: 500 },
    );
  });

  it('searches operator words as plain words', () => {
    expect(search.all(ftsQuery('near', 'all') as string)).toEqual([{ rowid: 1 }]);
    expect(search.all(ftsQuery('ransomware OR nothing', 'all') as string)).toHaveLength(0);
    expect(search.all(ftsQuery('ransomware OR nothing', 'any') as string)).toEqual([{ rowid: 1 }]);
  });
});
