import type { ComponentChildren } from 'preact';
import { catalogue, type MessageKey } from '../i18n';

const listFormats = new Map<string, Intl.ListFormat>();

/** Names joined as the catalogue's language joins a list ("A, B and C"); one formatter per language. */
export function formatList(items: readonly string[]): string {
  const lang = catalogue.value['meta.lang'];
  let format = listFormats.get(lang);
  if (!format) {
    format = new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' });
    listFormats.set(lang, format);
  }
  return format.format(items);
}

/**
 * The message `key` as parts to render, its `{name}` placeholders replaced by the given children: user-written
 * text goes in as an element (a `<bdi>`) so that its direction does not reorder the sentence around it.
 */
export function messageParts(key: MessageKey, params: Record<string, ComponentChildren>): ComponentChildren[] {
  return catalogue.value[key].split(/(\{\w+\})/).map((part) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    return name !== undefined && name in params ? params[name] : part;
  });
}
