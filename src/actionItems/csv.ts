import type { ActionItemSummary } from './views';

const COLUMNS = [
  'id',
  'title',
  'ownerEntityId',
  'dueDate',
  'status',
  'percent',
  'overdue',
  'proposalId',
  'updatedAt',
] as const;

/**
 * Columns of ids (generated ids and entity ids: letters, digits, `-`, `_`), exported exactly as the API
 * gives them so that they still match. Such an id cannot hold a harmful formula (no parentheses, `|` or
 * `!`), even one of the older ids that start with `-`.
 */
const ID_COLUMNS: ReadonlySet<string> = new Set(['id', 'ownerEntityId', 'proposalId']);
const ID = /^[A-Za-z0-9_-]*$/;

/**
 * Where a spreadsheet may start a cell inside a field: at the field's start, and, with `;` as list
 * separator (much of Europe), after every `;` and line break, since there a comma-separated line is
 * split only on `;` and a quote that does not open a cell protects nothing. A cell is a formula when it
 * starts with `=`, `+`, `-`, `@` (or their full-width forms), tab or carriage return, after any spaces
 * and quotes some spreadsheets skip.
 */
const FORMULA_CELL_START = /(^|[;\r\n])(?=[ "]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20])/g;

/**
 * One RFC 4180 field. Text is neutralised with an apostrophe at every place a cell could start with a
 * formula, in either locale: a title typed by one delegate must not run on a chair's machine when the
 * meeting pack is opened. Fields holding `;` are quoted too.
 */
export function csvField(value: string | number | boolean | null, isId = false): string {
  let text = value === null ? '' : String(value);
  if (!(isId && ID.test(text))) text = text.replace(FORMULA_CELL_START, "$1'");
  return /[",;\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The chair's agenda export: a header line, then one line per item, CRLF line ends. */
export function actionItemsCsv(items: readonly ActionItemSummary[]): string {
  const lines = [COLUMNS.join(',')];
  for (const item of items)
    lines.push(COLUMNS.map((column) => csvField(item[column], ID_COLUMNS.has(column))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
