import { checkoutFields, merchantHeaders, signedJson, type BenchMerchant } from './merchant-request.ts';

export interface PageWeight {
  bytes: number;
  requests: number;
  thirdPartyRequests: number;
  /** Every subresource URL, resolved, for the report. */
  urls: string[];
}

// What a browser fetches on its own: stylesheets, scripts, images, frames, media, CSS imports and url().
const HTML_SUBRESOURCES = [
  /<link\b[^>]*\brel="(?:stylesheet|icon|preload|modulepreload|manifest|apple-touch-icon)"[^>]*\bhref="([^"]+)"/gi,
  /<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="(?:stylesheet|icon|preload|modulepreload|manifest|apple-touch-icon)"/gi,
  /<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc="([^"]+)"/gi,
];
const CSS_SUBRESOURCES = [/url\(\s*['"]?([^'")]+)['"]?\s*\)/gi, /@import\s+['"]([^'"]+)['"]/gi];

const found = (text: string, patterns: RegExp[]) => patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]!));

/**
 * The weight of the payment page as a browser with an empty cache gets it: the HTML of a new
 * order's page and every subresource it (and its CSS) references, fetched as served. `data:`
 * URLs cost no request. Any host other than the gateway's is a third-party request.
 */
export async function weighCashierPage(baseUrl: string, merchant: BenchMerchant): Promise<PageWeight> {
  const created = await fetch(`${baseUrl}/v1/checkout`, { method: 'POST', headers: merchantHeaders(merchant), body: signedJson(merchant, checkoutFields()) });
  const { data } = (await created.json()) as { data: { paymentUrl: string } };
  const page = await fetch(data.paymentUrl);
  const html = Buffer.from(await page.arrayBuffer());
  if (page.status !== 200) throw new Error(`payment page: HTTP ${page.status}`);

  const origin = new URL(data.paymentUrl).origin;
  let bytes = html.length;
  let thirdPartyRequests = 0;
  const urls: string[] = [];
  const pending = found(html.toString('utf8'), HTML_SUBRESOURCES).map((ref) => new URL(ref.replace(/&amp;/g, '&'), data.paymentUrl));
  const seen = new Set<string>();
  while (pending.length > 0) {
    const url = pending.shift()!;
    if (url.protocol === 'data:' || seen.has(url.href)) continue;
    seen.add(url.href);
    urls.push(url.href);
    if (url.origin !== origin) {
      thirdPartyRequests += 1;
      continue; // counted, never fetched: the bench does not call out of the machine
    }
    const response = await fetch(url);
    const body = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) throw new Error(`${url.href}: HTTP ${response.status}`);
    bytes += body.length;
    if (/text\/css/.test(response.headers.get('content-type') ?? '')) {
      pending.push(...found(body.toString('utf8'), CSS_SUBRESOURCES).map((ref) => new URL(ref, url)));
    }
  }
  return { bytes, requests: 1 + urls.length, thirdPartyRequests, urls };
}
