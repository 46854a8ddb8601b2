/**
 * The cashier's languages. Every user-visible sentence of every cashier page lives in one of the
 * locale files beside this one; templates never carry text of their own.
 */
import { en } from './en.ts';
import { es } from './es.ts';
import { hi } from './hi.ts';
import { id } from './id.ts';
import type { Messages, Plural } from './messages.ts';
import { pt } from './pt.ts';

export * from './messages.ts';

/** In the order the language switcher shows them. */
export const LOCALES = ['en', 'es', 'pt', 'hi', 'id'] as const;

export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'en';

const catalog: Readonly<Record<Locale, Messages>> = Object.freeze({ en, es, pt, hi, id });

export const messagesFor = (locale: Locale): Messages => catalog[locale];

export const isLocale = (value: unknown): value is Locale =>
  typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

/** Language tags we accept for each locale besides its own code ("in" is Indonesian's withdrawn ISO 639 code). */
const ALIASES: Readonly<Record<string, Locale>> = { in: 'id' };

/** "pt-BR" → "pt", "IN" → "id", "fr" → undefined. */
function localeOfTag(tag: string): Locale | undefined {
  const primary = tag.trim().split(/[-_]/)[0]?.toLowerCase() ?? '';
  if (isLocale(primary)) return primary;
  return ALIASES[primary];
}

/** A header this long is not a browser's; we read only its start. */
const MAX_HEADER = 512;
const QUALITY = /^q=(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$/i;

/**
 * The locale to render a cashier page in: a supported `?lang=` wins, then the best supported
 * language of the `Accept-Language` header by q-value (ties keep header order; `q=0` means
 * "not this one"), then English.
 */
export function pickLocale(acceptLanguage: string | undefined, queryLang?: string): Locale {
  if (queryLang !== undefined) {
    const fromQuery = localeOfTag(queryLang);
    if (fromQuery) return fromQuery;
  }
  if (!acceptLanguage) return DEFAULT_LOCALE;

  const ranked: { locale: Locale; q: number; order: number }[] = [];
  acceptLanguage
    .slice(0, MAX_HEADER)
    .split(',')
    .forEach((entry, order) => {
      const [tag = '', ...params] = entry.split(';');
      const locale = localeOfTag(tag);
      if (!locale) return;
      let q = 1;
      for (const param of params) {
        const match = QUALITY.exec(param.trim());
        if (match) q = Number(match[1]);
        else if (/^q=/i.test(param.trim())) q = 0; // a malformed weight: ignore the entry
      }
      if (q > 0) ranked.push({ locale, q, order });
    });
  ranked.sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked[0]?.locale ?? DEFAULT_LOCALE;
}

/** Fills `{name}` placeholders; a placeholder without a value is left as is, so a gap is visible in review. */
export function format(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

// Building an Intl object costs a fraction of a millisecond, more than the page it is for: one per locale, kept.
const pluralRules = new Map<Locale, Intl.PluralRules>();
const utcDateTimes = new Map<Locale, Intl.DateTimeFormat>();

const MINUTE_MS = 60_000;
/** The last minute formatted in each locale: receipts shown in the same minute show the same text. */
const lastMinutes = new Map<Locale, { minute: number; text: string }>();

/**
 * A moment as the receipt shows it in `locale`: date and time to the minute, in UTC (the caller
 * adds the zone's name).
 */
export function formatUtcDateTime(locale: Locale, moment: Date): string {
  const minute = Math.floor(moment.getTime() / MINUTE_MS);
  const last = lastMinutes.get(locale);
  if (last?.minute === minute) return last.text;
  let formatter = utcDateTimes.get(locale);
  if (!formatter) utcDateTimes.set(locale, (formatter = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })));
  const text = formatter.format(moment);
  lastMinutes.set(locale, { minute, text });
  return text;
}

/** Picks the plural form of `plural` for `count` in `locale` and fills `{count}`. */
export function plural(locale: Locale, forms: Plural, count: number): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  const form = rules.select(count) === 'one' ? forms.one : forms.other;
  return format(form, { count });
}
