import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import swaggerUi from '@fastify/swagger-ui';

export const DOCS_PREFIX = '/docs';

/**
 * The UI may only load what this server serves: Swagger UI's own bundle and styles (from
 * node_modules, through @fastify/static), its logo and images as data: URLs, and the document.
 * React sets inline styles, hence 'unsafe-inline' for styles only; no script runs from elsewhere.
 * Set on every response under /docs, and nowhere else.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The page's sign helper (merchantNo and secret typed in the page, kept in it), served as a theme script. */
const SIGN_HELPER = fs.readFileSync(new URL('./docs-sign-helper.js', import.meta.url), 'utf8');

/**
 * Hands every "Try it out" request to the sign helper. Made with `new Function` so that its
 * source, which @fastify/swagger-ui writes into swagger-initializer.js, is exactly this text.
 */
const requestInterceptor = new Function('request', 'return window.payrailSignRequest ? window.payrailSignRequest(request) : request;');

/**
 * `GET /docs`: the OpenAPI UI of the merchant API; `GET /docs/json` (and `/docs/yaml`): the
 * document itself, generated from the routes by @fastify/swagger (registered by api/openapi.ts).
 */
export async function apiDocs(app: FastifyInstance) {
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    staticCSP: DOCS_CSP,
    // The validator badge would send the document to validator.swagger.io.
    validatorUrl: false,
    uiConfig: { deepLinking: true, docExpansion: 'list', defaultModelsExpandDepth: 0, tryItOutEnabled: false, requestInterceptor } as Record<string, unknown>,
    theme: { title: 'Payrail merchant API', js: [{ filename: 'sign-helper.js', content: SIGN_HELPER }] },
  });
}
