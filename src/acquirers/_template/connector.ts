import { createHmac, timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { Secret } from '../../domain/secret.ts';
import type { Connector } from '../connector.ts';
import { parseJson } from '../json.ts';
import { minorUnits, storableText, unreadableEvent, type ProcessorEvent } from '../processor-event.ts';
import { createTemplateAcquirer, type TemplateAcquirerOptions } from './template-acquirer.ts';

/**
 * TEMPLATE: a connector definition. Copy this folder to src/acquirers/<name>/, rename `template`
 * and `TEMPLATE_` everywhere, and add one line to the registry (src/acquirers/index.ts).
 * Not registered itself: nothing outside this folder names it.
 */
const variables = {
  TEMPLATE_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  TEMPLATE_WEBHOOK_SECRET: Type.Optional(Type.String({ minLength: 16 })),
  TEMPLATE_API_URL: Type.String({ pattern: '^https?://[^\\s]+$', default: 'https://api.processor.example' }),
};

export interface TemplateSettings {
  readonly apiKey: Secret<string>;
  readonly webhookSecret: Secret<string> | undefined;
  readonly apiUrl: string;
}

/** TEMPLATE: the processor signs the body with HMAC-SHA256, hex, in `X-Signature`. */
export const signTemplateBody = (body: Buffer | string, secret: string) => createHmac('sha256', secret).update(body).digest('hex');

function verified(body: Buffer, header: unknown, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const given = Buffer.from(header, 'hex');
  const expected = Buffer.from(signTemplateBody(body, secret), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** TEMPLATE: one event `{ id, type, payment: { id, reference, status, amount, currency } }` per delivery. */
function readEvent(body: Buffer): ProcessorEvent<'template'> {
  const event = parseJson(body.toString('utf8')) as Record<string, unknown> | undefined;
  const id = storableText(event?.id);
  const type = storableText(event?.type);
  if (!event || !id || !type) return unreadableEvent('template', body, 'an event without a readable id or type');
  const payment = event.payment as Record<string, unknown> | undefined;
  const attemptId = storableText(payment?.reference);
  const paymentId = storableText(payment?.id);
  if (type !== 'payment.succeeded' || !attemptId || !paymentId) return { acquirer: 'template', id, type };
  return {
    acquirer: 'template',
    id,
    type,
    settles: {
      kind: 'attempt',
      attemptId,
      answer: { outcome: 'approved', reference: paymentId },
      says: { payment: paymentId, amount: minorUnits(payment?.amount), currency: storableText(payment?.currency) },
    },
  };
}

export const templateConnector = {
  name: 'template',
  title: 'Template processor',
  variables,
  configure(env, setting) {
    if (!env.TEMPLATE_API_KEY) {
      if (setting.isDefault) setting.refuse('TEMPLATE_API_KEY is required when ACQUIRER is template');
      return undefined;
    }
    return Object.freeze({
      apiKey: new Secret(env.TEMPLATE_API_KEY),
      webhookSecret: env.TEMPLATE_WEBHOOK_SECRET ? new Secret(env.TEMPLATE_WEBHOOK_SECRET) : undefined,
      apiUrl: env.TEMPLATE_API_URL,
    });
  },
  create: (settings, gateway) => createTemplateAcquirer({ apiKey: settings.apiKey.reveal(), apiUrl: settings.apiUrl, timeoutMs: gateway.timeoutMs }),
  open: (options) => createTemplateAcquirer(options),
  webhook: {
    secret: (settings) => settings.webhookSecret?.reveal(),
    secretVariable: 'TEMPLATE_WEBHOOK_SECRET',
    read: (request, secret) => (verified(request.body, request.headers['x-signature'], secret) ? [readEvent(request.body)] : { refused: 'X-Signature did not verify' }),
    acknowledge: { contentType: 'application/json; charset=utf-8', body: '{"received":true}' },
  },
} satisfies Connector<'template', typeof variables, TemplateSettings, TemplateAcquirerOptions>;
