import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessCode } from '../../src/domain/errors.ts';
import type { WireBody } from '../../src/domain/signature.ts';
import type { MerchantRow } from '../../src/store/merchants.ts';
import { ownFields } from '../../src/api/wire-schema.ts';
import { CHECKOUT_OPERATION, parseCreateCheckout } from '../../src/api/checkout/schema.ts';
import { QUERY_OPERATION, readQueryOrder } from '../../src/api/query/schema.ts';
import { CLOSE_OPERATION, readCloseOrder } from '../../src/api/close/schema.ts';
import { REFUND_OPERATION, parseRefund } from '../../src/api/refund/schema.ts';
import { REFUND_QUERY_OPERATION, readRefundQuery } from '../../src/api/refund-query/schema.ts';
import { BALANCE_OPERATION } from '../../src/api/balance/schema.ts';
import { PAYOUT_OPERATION, parsePayout } from '../../src/api/payout/schema.ts';
import { PAYOUT_QUERY_OPERATION, readPayoutQuery } from '../../src/api/payout-query/schema.ts';
import { NOTIFY_RESEND_OPERATION, readNotifyResend } from '../../src/api/notify-resend/schema.ts';
import { NOTIFY_LISTEN_OPERATION, readNotifyListen } from '../../src/api/notify-listen/schema.ts';
import { DISPUTE_QUERY_OPERATION, readDisputeQuery } from '../../src/api/dispute-query/schema.ts';
import { CHARGE_OPERATION, parseCharge } from '../../src/api/charge/schema.ts';
import { CARD_LIST_OPERATION, readCardList } from '../../src/api/card-list/schema.ts';
import { CARD_DELETE_OPERATION, readCardDelete } from '../../src/api/card-delete/schema.ts';
import type { OperationDoc } from '../../src/api/wire-schema.ts';
import { signedBody, startTestGateway, type TestGateway } from '../support/test-gateway.ts';

/** The codes with which a reader refuses a field (its msg names the field). */
const FIELD_CODES: string[] = [BusinessCode.ParameterInvalid, BusinessCode.CurrencyUnsupported, BusinessCode.AmountInvalid, BusinessCode.UrlNotAllowed];
const refusesField = (answer: { code: string; msg: string }, field: string) => FIELD_CODES.includes(answer.code) && new RegExp(`\\b${field}\\b`).test(answer.msg);

/** A value that breaks the documented rule of a field: not in its enum, or longer than its maxLength and outside its pattern. */
const breaking = (schema: { enum?: string[]; maxLength?: number }) => (schema.enum ? 'NOT-LISTED' : '!'.repeat((schema.maxLength ?? 1) + 1));

const unsigned = (value: Record<string, unknown>) => Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'sign' && key !== 'timestamp')) as WireBody;

/** A body whose reads are recorded. */
function recording(body: WireBody): { body: WireBody; read: Set<string> } {
  const read = new Set<string>();
  return { read, body: new Proxy(body, { get: (target, key) => (typeof key === 'string' && read.add(key), Reflect.get(target, key)) }) };
}

const MERCHANT = { min_amount_cents: 1, max_amount_cents: 99_999_999_999 } as MerchantRow;

/** Every operation with its reader: the one place its route reads the fields of the body. */
const READERS: [OperationDoc, (body: WireBody) => unknown][] = [
  [CHECKOUT_OPERATION, (body) => parseCreateCheckout(body, MERCHANT, { allowPrivateNotify: true })],
  [QUERY_OPERATION, readQueryOrder],
  [CLOSE_OPERATION, readCloseOrder],
  [REFUND_OPERATION, parseRefund],
  [REFUND_QUERY_OPERATION, readRefundQuery],
  [BALANCE_OPERATION, () => undefined],
  [PAYOUT_OPERATION, (body) => parsePayout(body, { allowPrivateNotify: true })],
  [PAYOUT_QUERY_OPERATION, readPayoutQuery],
  [NOTIFY_RESEND_OPERATION, readNotifyResend],
  [NOTIFY_LISTEN_OPERATION, readNotifyListen],
  [DISPUTE_QUERY_OPERATION, readDisputeQuery],
  [CHARGE_OPERATION, (body) => parseCharge(body, { allowPrivateNotify: true })],
  [CARD_LIST_OPERATION, readCardList],
  [CARD_DELETE_OPERATION, readCardDelete],
];

describe('the OpenAPI document and the readers describe the same fields', () => {
  let t: TestGateway;
  let document: any;

  beforeAll(async () => {
    t = await startTestGateway('pglite');
    document = (await t.gateway.app.inject({ method: 'GET', url: '/docs/json' })).json();
  });
  afterAll(() => t?.close());

  it('has a reader for every documented operation', () => {
    const documented = Object.values<any>(document.paths)
      .map((item) => item.post)
      .filter((op) => !op.tags.includes('Family aliases'))
      .map((op) => op.operationId)
      .sort();
    expect(READERS.map(([operation]) => operation.operationId).sort()).toEqual(documented);
  });

  it.each(READERS.map(([operation, read]) => [operation.operationId, operation, read] as const))(
    '%s: the reader reads exactly the documented fields, with every optional one present',
    (_id, operation, read) => {
      const examples = Object.values(operation.requestExamples).map((example) => unsigned(example.value as Record<string, unknown>));
      const documented = ownFields(operation.request).sort();
      const everyField: WireBody = Object.assign({}, ...examples);
      for (const name of documented) everyField[name] ??= (operation.request.properties[name] as { examples?: string[] }).examples?.[0] ?? null;
      if ('waitSeconds' in everyField) everyField.waitSeconds = '0';
      const { body, read: reads } = recording({ ...everyField, notDocumented: 'x' });
      read(body);
      expect([...reads].sort()).toEqual(documented);
      // The examples are valid requests, each on its own too.
      for (const example of examples) expect(() => read(example), JSON.stringify(example)).not.toThrow();
    },
  );

  it('every documented request field of every path, aliases included, is read by the route and checked by name', async () => {
    const checked: string[] = [];
    for (const [path, item] of Object.entries<any>(document.paths)) {
      const url = path.replace('{provider}', 'acme');
      const media = item.post.requestBody.content['application/json'];
      const schema = media.schema;
      const base = unsigned((Object.values<any>(media.examples)[0]).value);
      if ('waitSeconds' in schema.properties) base.waitSeconds = '0';
      const valid: Record<string, string> = { merchantNo: t.merchant.merchantNo, waitSeconds: '0' };
      for (const [name, property] of Object.entries<any>(schema.properties)) {
        if (name === 'sign' || name === 'timestamp') continue;
        const good = valid[name] ?? property.example ?? base[name];
        expect(good, `${path} ${name} has an example`).toBeDefined();
        const accepted = (await t.post(url, { ...base, [name]: good })).body;
        expect(refusesField(accepted, name), `${path} ${name}=${good}: ${accepted.code} ${accepted.msg}`).toBe(false);
        const refused = (await t.post(url, { ...base, [name]: breaking(property) })).body;
        expect(refusesField(refused, name), `${path} ${name} broken: ${refused.code} ${refused.msg}`).toBe(true);
        checked.push(`${path} ${name}`);
      }
      for (const name of schema.required) {
        // An operation's own field left out of a signed body; the signed fields left out after signing.
        const body = name === 'sign' || name === 'timestamp' ? signedBody({ ...base }, t.merchant.appSecret) : { ...base };
        delete body[name];
        const response = await t.post(url, body, { raw: name === 'sign' || name === 'timestamp' });
        expect(refusesField(response.body, name), `${path} without ${name}: ${response.body.code} ${response.body.msg}`).toBe(true);
      }
    }
    expect(checked.length).toBeGreaterThan(60);
  });

  it('route handlers read the body only through their readers', () => {
    const api = join(import.meta.dirname, '../../src/api');
    const routes = readdirSync(api, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'acquirer-webhooks')
      .map((entry) => join(api, entry.name, 'route.ts'));
    expect(routes.length).toBe(READERS.length);
    for (const route of routes) expect(readFileSync(route, 'utf8'), route).not.toMatch(/\bbody\s*(\.\s*[A-Za-z_]|\[)/);
  });
});
