import { Type } from '@sinclair/typebox';
import { invalidParameter } from '../../domain/errors.ts';
import type { WireBody } from '../../domain/signature.ts';
import { absent, patternOf, stringValue } from '../fields.ts';
import { envelopeOk, signedRequest, type OperationDoc } from '../wire-schema.ts';

export const MAX_WAIT_SECONDS = 25;
const DEFAULT_WAIT_SECONDS = 20;

export const NOTIFY_LISTEN_REQUEST = signedRequest(
  {
    cursor: Type.String({
      pattern: '^([0-9]{1,20})(?:\\.([0-9a-f]{32}))?$',
      'x-hint': 'must be a cursor answered by an earlier call',
      description: 'The `cursor` of the previous answer; leave it out on the first call.',
      examples: ['1795629918000123.649a81c6baf1bb26951f90c11a2d3834'],
    }),
    waitSeconds: Type.String({
      pattern: '^[0-9]{1,2}$',
      'x-hint': `must be a whole number from 0 to ${MAX_WAIT_SECONDS}`,
      description: `How long to wait for a first notification, 0 to ${MAX_WAIT_SECONDS} (default ${DEFAULT_WAIT_SECONDS}).`,
      examples: ['20'],
    }),
  },
  [],
);

export interface NotifyListenInput {
  /** The cursor given, as its queue time in microseconds and its job id; undefined: start from now. */
  cursor?: { micros: string; id: string };
  waitMs: number;
}

/** Reads the body of `POST /v1/notify/listen`. */
export function readNotifyListen(body: WireBody): NotifyListenInput {
  const rules = NOTIFY_LISTEN_REQUEST.properties;
  const input: NotifyListenInput = { waitMs: DEFAULT_WAIT_SECONDS * 1000 };
  if (!absent(body, 'cursor')) {
    const given = stringValue(body, 'cursor');
    const match = patternOf(rules.cursor.pattern!).exec(given);
    if (!match) throw invalidParameter('cursor', rules.cursor['x-hint']);
    input.cursor = { micros: match[1]!, id: match[2] ?? '' };
  }
  if (body.waitSeconds !== undefined) {
    const value = body.waitSeconds === null || body.waitSeconds === '' ? '-' : stringValue(body, 'waitSeconds');
    if (!patternOf(rules.waitSeconds.pattern!).test(value) || Number(value) > MAX_WAIT_SECONDS) throw invalidParameter('waitSeconds', rules.waitSeconds['x-hint']);
    input.waitMs = Number(value) * 1000;
  }
  return input;
}

const NOTIFY_LISTENED = Type.Object({
  cursor: Type.String({ description: 'Send it as `cursor` in the next call.' }),
  notifications: Type.Array(Type.Ref('Notification')),
});

export const NOTIFY_LISTEN_OPERATION: OperationDoc = {
  operationId: 'notifyListen',
  tag: 'Notifications',
  summary: "Long-poll the merchant's notifications (payrail listen)",
  description: `For \`payrail listen --forward-to URL\`: answers the merchant's notifications (\`PAYMENT\`, \`REFUND\` and \`PAYOUT\`) queued after \`cursor\` (without one: after the call arrives), oldest first, at most 50, each built and signed exactly as it is POSTed to the order's or payout's \`notifyUrl\`, and the \`cursor\` to send next. When there is none yet it waits up to \`waitSeconds\` (0 to ${MAX_WAIT_SECONDS}, default ${DEFAULT_WAIT_SECONDS}) and answers an empty list. Delivery to \`notifyUrl\` is not affected, and a resend (which reuses a notification) is not a new one here.`,
  request: NOTIFY_LISTEN_REQUEST,
  requestExamples: {
    listen: {
      summary: 'Continue after the last notification seen',
      value: { cursor: '1795629918000123.649a81c6baf1bb26951f90c11a2d3834', waitSeconds: '20', timestamp: '1795629918700', sign: '72e5d091dcaa93cd240e5056f86d8709' },
    },
  },
  data: NOTIFY_LISTENED,
  answerDescription: 'The notifications, possibly none, and the next cursor.',
  answerExamples: {
    none: { summary: '0000 nothing new within waitSeconds', value: envelopeOk({ cursor: '1795629918000123.649a81c6baf1bb26951f90c11a2d3834', notifications: [] }, 1795629938720) },
  },
};
