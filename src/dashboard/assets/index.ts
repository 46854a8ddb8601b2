import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The dashboard's one static file, named by its content hash so it can be cached for good. */
export const DASHBOARD_ASSET_PREFIX = '/dashboard/assets/';

const body = readFileSync(new URL('dashboard.css', import.meta.url));
const hash = createHash('sha256').update(body).digest('hex');

export const stylesheet = Object.freeze({
  name: `dashboard.${hash.slice(0, 12)}.css`,
  path: `${DASHBOARD_ASSET_PREFIX}dashboard.${hash.slice(0, 12)}.css`,
  body,
  contentType: 'text/css; charset=utf-8',
  etag: `"${hash}"`,
});

/** Only our own stylesheet; no script at all (every page works without JavaScript); forms post to us. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');
