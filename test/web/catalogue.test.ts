import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/web/client/i18n/en';

const CLIENT = path.resolve(import.meta.dirname, '../../src/web/client');

/** Attributes whose text a user reads or hears. */
const LABELS = new Set(['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'aria-roledescription']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.tsx?$/.test(entry.name) && !file.includes(`${path.sep}i18n${path.sep}`) ? [file] : [];
  });
}

describe('the string catalogue of the web page', () => {
  const files = sources(CLIENT).map((file) => ({
    file: path.relative(CLIENT, file),
    text: readFileSync(file, 'utf8'),
  }));

  it('holds every word the components show: no text between tags, no literal label, title or placeholder', () => {
    const found: string[] = [];
    for (const { file, text } of files) {
      const source = ts.createSourceFile(
        file,
        text,
        ts.ScriptTarget.Latest,
        true,
        file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
      );
      const visit = (node: ts.Node): void => {
        if (ts.isJsxText(node) && /\p{L}/u.test(node.text)) found.push(`${file}: text "${node.text.trim()}"`);
        if (
          ts.isJsxAttribute(node) &&
          LABELS.has(node.name.getText()) &&
          node.initializer &&
          ts.isStringLiteral(node.initializer) &&
          /\p{L}/u.test(node.initializer.text)
        ) {
          found.push(`${file}: ${node.name.getText()}="${node.initializer.text}"`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(found).toEqual([]);
  });

  it('has every key a component asks for, and every key is asked for by some component', () => {
    const keys = new Set(Object.keys(en));
    const source = files.map(({ text }) => text).join('\n');
    const unused = [...keys].filter((key) => {
      if (key.startsWith('meta.')) return false;
      const base = key.replace(/\.(zero|one|two|few|many|other)$/, '');
      const parent = base.slice(0, base.lastIndexOf('.') + 1);
      // Keys are also built from a prefix and a value (`problem.status.${status}`, `role.${role}`).
      return !source.includes(`'${key}'`) && !source.includes(`'${base}'`) && !source.includes(`\`${parent}\${`);
    });
    expect(unused).toEqual([]);
  });

  it('says its language and direction, so that a right-to-left translation turns the page', () => {
    expect(en['meta.lang']).toBe('en');
    expect(en['meta.dir']).toBe('ltr');
  });
});
