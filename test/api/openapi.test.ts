import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessCode } from '../../src/domain/errors.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/** Every route the app registers, as full paths with their methods, read from Fastify's route tree. */
function registeredRoutes(tree: string): { path: string; methods: string[] }[] {
  const routes: { path: string; methods: string[] }[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ]   )*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = [...match[1]!].length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    if (match[3]) routes.push({ path: stack.join(''), methods: match[3].split(', ') });
  }
  return routes;
}

/** `/v1/{provider}/checkout` as Fastify writes it: `/v1/:provider/checkout`. */
const fastifyPath = (openApiPath: string) => openApiPath.replace(/\{([^}]+)\}/g, ':$1');

describe('GET /docs: the OpenAPI UI of the merchant API', () => {
  let t: TestGateway;
  let document: any;
  let routes: { path: string; methods: string[] }[];

  beforeAll(async () => {
    t = await startTestGateway('pglite');
    await t.gateway.app.ready();
    routes = registeredRoutes(t.gateway.app.printRoutes({ commonPrefix: false }));
    document = (await t.gateway.app.inject({ method: 'GET', url: '/docs/json' })).json();
  });
  afterAll(() => t?.close());

  it('answers 200 with the Swagger UI page, under a CSP that allows only this server', async () => {
    const response = await t.gateway.app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('<div id="swagger-ui"></div>');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
  });

  it('loads nothing from another origin: every asset of the page is ours and served', async () => {
    const page = (await t.gateway.app.inject({ method: 'GET', url: '/docs' })).body;
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThan(3);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/docs\/static\//);
      const response = await t.gateway.app.inject({ method: 'GET', url: asset });
      expect(response.statusCode, asset).toBe(200);
      expect(response.headers['content-security-policy'], asset).toContain("default-src 'none'");
    }
    const initializer = (await t.gateway.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' })).body;
    // No validator badge (it would send the document to validator.swagger.io); the document is ours.
    expect(initializer).toMatch(/validatorUrl: null/);
    expect(initializer).toContain("url: resolveUrl('./json')");
    // Outside comments, the initializer names no other origin.
    expect(initializer.replace(/\/\/.*$/gm, '')).not.toMatch(/https?:\/\//);
  });

  it('sets its CSP on /docs only', async () => {
    const health = await t.gateway.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.headers['content-security-policy']).toBeUndefined();
    const api = await t.post('/v1/balance', {});
    expect(api.status).toBe(200);
    const apiResponse = await t.gateway.app.inject({ method: 'POST', url: '/v1/balance', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(apiResponse.headers['content-security-policy']).toBeUndefined();
  });

  it('serves the document at /docs/json as an OpenAPI 3 document whose references all resolve', () => {
    expect(document.openapi).toMatch(/^3\.0\.\d+$/);
    expect(document.info.title).toBe('Payrail merchant API');
    expect(typeof document.info.version).toBe('string');
    const resolve = (pointer: string) =>
      pointer
        .replace(/^#\//, '')
        .split('/')
        .reduce((node: any, key) => node?.[key], document);
    const walk = (node: unknown, at: string) => {
      if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}/${i}`));
      else if (node && typeof node === 'object') {
        const ref = (node as { $ref?: unknown }).$ref;
        if (typeof ref === 'string') expect(resolve(ref), `${at} → ${ref}`).toBeDefined();
        for (const [key, value] of Object.entries(node)) walk(value, `${at}/${key}`);
      }
    };
    walk(document, '#');
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries<any>(document.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        expect(method, path).toBe('post');
        expect(op.responses['200'], path).toBeDefined();
        expect(operationIds.has(op.operationId), op.operationId).toBe(false);
        operationIds.add(op.operationId);
        const parameters = op.parameters.map((p: any) => (p.$ref ? resolve(p.$ref) : p));
        expect(parameters.some((p: any) => p.in === 'header' && p.name === 'merchantNo' && p.required), path).toBe(true);
        for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
          expect(parameters.some((p: any) => p.in === 'path' && p.name === name && p.required), `${path} declares ${name}`).toBe(true);
        }
        expect(op.requestBody.content['application/json'].schema).toBeDefined();
        expect(Object.keys(op.requestBody.content['application/json'].examples ?? {}).length, path).toBeGreaterThan(0);
      }
    }
  });

  it('describes every route the app registers under /v1, and only those', () => {
    // Processor webhooks (/v1/acquirers/…) are signed by Stripe or Adyen, not by a merchant: docs/acquirers.md.
    const apiRoutes = routes.filter((route) => route.path.startsWith('/v1/') && !route.path.startsWith('/v1/acquirers/'));
    expect(apiRoutes.length).toBeGreaterThanOrEqual(10);
    const documented = Object.keys(document.paths).map(fastifyPath).sort();
    expect(documented).toEqual(apiRoutes.map((route) => route.path).sort());
    for (const route of apiRoutes) expect(route.methods, route.path).toEqual(['POST']);
  });

  it('documents paths that answer: each one reaches its handler (a sign error, not a 404)', async () => {
    for (const path of Object.keys(document.paths)) {
      const url = path.replace('{provider}', 'acme');
      const response = await t.post(url, { tradeNo: 'x' }, { secret: 'not-the-secret' });
      expect(response.status, url).toBe(200);
      expect(response.body.code, url).toBe(BusinessCode.SignatureInvalid);
    }
  });

  it('names every business code, 0000, 5000 and 8000 to 8016', () => {
    const codes = Object.values(BusinessCode);
    expect(codes).toEqual(['0000', '5000', ...Array.from({ length: 17 }, (_, i) => String(8000 + i))]);
    expect(document.components.schemas.BusinessCode.enum).toEqual(codes);
    for (const code of codes) {
      expect(document.info.description).toContain(`| \`${code}\` |`);
      expect(document.components.schemas.BusinessCode.description).toContain(`\`${code}\``);
    }
  });

  it('shows examples whose codes are business codes and whose envelopes are complete', () => {
    const examples: any[] = [];
    for (const item of Object.values<any>(document.paths)) {
      for (const example of Object.values<any>(item.post.responses['200'].content['application/json'].examples)) examples.push(example.value);
    }
    expect(examples.length).toBeGreaterThan(20);
    for (const example of examples) {
      expect(Object.keys(example).sort()).toEqual(['code', 'data', 'msg', 'success', 'timestamp']);
      expect(Object.values(BusinessCode)).toContain(example.code);
      expect(example.success).toBe(example.code === '0000');
      if (!example.success) expect(example.data).toBeNull();
    }
  });
});
