/** The most of an unknown outcome's detail an attempt keeps as its reason, in code points. */
export const MAX_DETAIL_CODE_POINTS = 200;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * An acquirer's reason or detail as the database can store it, in text and in jsonb: without NUL
 * (which neither accepts), a lone surrogate as U+FFFD (jsonb rejects its JSON escape; text stores
 * U+FFFD anyway), and cut by code points, never inside a surrogate pair. Any string comes out
 * storable, so an outcome is never refused for its text (the reconciler would retry it forever).
 */
export function storableText(text: string, maxCodePoints = Infinity): string {
  const clean = text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\ufffd');
  return clean.length <= maxCodePoints ? clean : Array.from(clean).slice(0, maxCodePoints).join('');
}
