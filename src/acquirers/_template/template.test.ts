import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCard } from '../../domain/card.ts';
import { cents } from '../../domain/money.ts';
import type { AuthorizeRequest } from '../acquirer.ts';
import { listen, sendJson } from '../test-server-kit.ts';
import { signTemplateBody, templateConnector } from './connector.ts';

/**
 * The template is a working starting point: copied to src/acquirers/<name>/ (README.md, "Adding a
 * connector") it configures, verifies and reads its webhook, and maps its processor's answers by
 * the rules every connector keeps, before a line of it is changed.
 */
const setting = { production: false, isDefault: false, refuse: (message: string): never => { throw new Error(message); } };
const defaults = { TEMPLATE_API_URL: 'https://api.processor.example' };

const sale = (key: string): AuthorizeRequest => {
  const validation = validateCard({ number: '4242 4242 4242 4242', expiry: '12/40', cvc: '123', holder: 'Ada Lovelace' }, new Date());
  if (!validation.ok) throw new Error('test card refused by the page');
  return { idempotencyKey: key, amount: cents(1250), currency: 'USD', card: validation.card };
};

describe('the connector template', () => {
  it('is not configured without its key, refuses to be the default without it, and keeps its secrets sealed', () => {
    expect(templateConnector.configure(defaults, setting)).toBeUndefined();
    expect(() => templateConnector.configure(defaults, { ...setting, isDefault: true })).toThrow('TEMPLATE_API_KEY is required when ACQUIRER is template');
    const settings = templateConnector.configure({ ...defaults, TEMPLATE_API_KEY: 'key_abc', TEMPLATE_WEBHOOK_SECRET: 'a-webhook-secret-16' }, setting);
    expect(JSON.stringify(settings)).not.toContain('key_abc');
    expect(templateConnector.webhook.secret(settings!)).toBe('a-webhook-secret-16');
  });

  it('reads a signed webhook into an event that settles the attempt it names; refuses an unsigned one', () => {
    const secret = 'a-webhook-secret-16';
    const body = Buffer.from(JSON.stringify({ id: 'evt_1', type: 'payment.succeeded', payment: { id: 'pay_1', reference: 'att_1', amount: 1250, currency: 'USD' } }));
    expect(templateConnector.webhook.read({ body, headers: { 'x-signature': signTemplateBody(body, secret) } }, secret)).toEqual([
      { acquirer: 'template', id: 'evt_1', type: 'payment.succeeded', settles: { kind: 'attempt', attemptId: 'att_1', answer: { outcome: 'approved', reference: 'pay_1' }, says: { payment: 'pay_1', amount: 1250, currency: 'USD' } } },
    ]);
    expect(templateConnector.webhook.read({ body, headers: { 'x-signature': signTemplateBody(body, 'another-secret-16') } }, secret)).toEqual({ refused: 'X-Signature did not verify' });
    const garbage = Buffer.from('not json');
    expect(templateConnector.webhook.read({ body: garbage, headers: { 'x-signature': signTemplateBody(garbage, secret) } }, secret)).toEqual([
      expect.objectContaining({ acquirer: 'template', type: 'unreadable' }),
    ]);
  });

  describe('its acquirer against a local stand-in', () => {
    let server: Awaited<ReturnType<typeof listen>>;
    const answers = new Map<string, [number, unknown]>();
    beforeAll(async () => {
      server = await listen((request, _body, response) => {
        const [status, body] = answers.get(String(request.headers['idempotency-key'])) ?? [500, {}];
        sendJson(response, status, body);
      });
    });
    afterAll(() => server.close());

    it.each([
      ['approved', 200, { status: 'approved', id: 'pay_9' }, { outcome: 'approved', reference: 'pay_9' }],
      ['declined', 200, { status: 'declined' }, { outcome: 'declined', reason: 'DO_NOT_HONOR' }],
      ['a status it has not seen', 200, { status: 'pending' }, { outcome: 'unknown', detail: 'the processor answered status pending' }],
      ['400', 400, {}, { outcome: 'error', reason: 'INVALID_REQUEST', retryable: false }],
      ['429', 429, {}, { outcome: 'error', reason: 'RATE_LIMITED', retryable: true }],
      ['500', 500, {}, { outcome: 'unknown', detail: 'the processor answered HTTP 500' }],
    ])('%s', async (key, status, body, expected) => {
      answers.set(key, [status, body]);
      const acquirer = templateConnector.open({ apiKey: 'key_abc', apiUrl: server.url, timeoutMs: 2_000 });
      expect(await acquirer.authorize(sale(key))).toEqual(expected);
      await acquirer.close();
    });

    it('a processor it cannot reach is unknown', async () => {
      const acquirer = templateConnector.open({ apiKey: 'key_abc', apiUrl: 'http://127.0.0.1:9', timeoutMs: 2_000 });
      expect(await acquirer.authorize(sale('unreachable'))).toMatchObject({ outcome: 'unknown', detail: expect.stringContaining('could not reach') });
      await acquirer.close();
    });
  });
});
