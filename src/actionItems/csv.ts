import type { ActionItemSummary } from './views';

const COLUMNS = ['id', 'title', 'ownerEntityId', 'dueDate', 'status', 'percent', 'overdue', 'proposalId', 'updatedAt'] as const;

/**
 * One RFC 4180 field. A cell that a spreadsheet would run as a formula (starting with = + - @, tab or
 * carriage return) is prefixed with an apostrophe: a title typed by one delegate must not execute on a
 * chair's machine when the meeting pack is opened.
 */
export function csvField(value: string | number | boolean | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The chair's agenda export: a header line, then one line per item, CRLF line ends. */
export function actionItemsCsv(items: readonly ActionItemSummary[]): string {
  const lines = [COLUMNS.join(',')];
  for (const item of items) lines.push(COLUMNS.map((column) => csvField(item[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
