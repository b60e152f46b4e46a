import { computed, signal } from '@preact/signals';
import { type Catalogue, en, type MessageKey } from './en';

export type { MessageKey } from './en';

/** The catalogue in use; a translation is swapped in with `useCatalogue`, and every text follows. */
export const catalogue = signal<Catalogue>(en);

/** Formatters of the catalogue's language, made once per language: building one costs more than a row's rendering. */
const formatters = computed(() => {
  const lang = catalogue.value['meta.lang'];
  return {
    plural: new Intl.PluralRules(lang),
    number: new Intl.NumberFormat(lang),
    time: new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }),
    date: new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }),
  };
});

export function useCatalogue(next: Catalogue): void {
  catalogue.value = next;
  document.documentElement.lang = next['meta.lang'];
  document.documentElement.dir = next['meta.dir'];
}

type Params = Record<string, string | number>;

function fill(text: string, params: Params | undefined): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The message `key` with its `{name}` values filled in. */
export function t(key: MessageKey, params?: Params): string {
  return fill(catalogue.value[key], params);
}

type PluralBase<K> = K extends `${infer Base}.other` ? Base : never;

/** The plural form of `base` for `count` (`base.one`, `base.other`, ... by the language's rules); `{count}` is filled in. */
export function tn(base: PluralBase<MessageKey>, count: number, params?: Params): string {
  const current = catalogue.value;
  const form = formatters.value.plural.select(count);
  const key = `${base}.${form}` as MessageKey;
  const text = (current as Record<string, string | undefined>)[key] ?? current[`${base}.other` as MessageKey];
  return fill(text, { count: formatNumber(count), ...params });
}

export function formatNumber(value: number): string {
  return formatters.value.number.format(value);
}

/** A timestamp in the reader's language and time zone. */
export function formatTime(iso: string): string {
  return formatters.value.time.format(new Date(iso));
}

export function formatDate(isoDate: string): string {
  return formatters.value.date.format(new Date(isoDate));
}
