import { describe, expect, it } from 'vitest';
import { canonicalText, textHash } from '../../../src/editions/declaration/canonical';

describe('the canonical text of a declaration', () => {
  it('numbers paragraphs, normalises their whitespace, and ends with one newline', () => {
    expect(canonicalText(['  One  \r\nline two\t', 'Two'])).toBe('1. One\nline two\n\n2. Two\n');
  });

  it('escapes lines that look like numbering, so that two paragraphs never hash as one', () => {
    expect(canonicalText(['a\n\n2. b'])).toBe('1. a\n\n\\2. b\n');
    expect(canonicalText(['a', 'b'])).toBe('1. a\n\n2. b\n');
    expect(textHash(['a\n\n2. b'])).not.toBe(textHash(['a', 'b']));
    // A backslash at a line's start is escaped too: an escaped number and a typed backslash differ.
    expect(canonicalText(['x\n\\2. b'])).not.toBe(canonicalText(['x\n2. b']));
  });
});
