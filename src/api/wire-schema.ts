import { Type, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import { BusinessCode } from '../domain/errors.ts';

/**
 * What every operation of the merchant API shares, as TypeBox schemas: the signed fields, the
 * envelope, the errors any signed call can get. Each operation (api/<operation>/schema.ts)
 * describes its own fields once with these; its route hands the result to Fastify, and
 * @fastify/swagger builds the OpenAPI document from the routes (api/openapi.ts).
 *
 * Every example is a real exchange with a gateway in test mode: merchant 4071457446 with app
 * secret `s3cr3t`, so each `sign` can be checked by hand.
 */
/** The largest body the merchant API reads. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface Example {
  summary: string;
  value: unknown;
}

export interface OperationDoc {
  operationId: string;
  tag: 'Checkout' | 'Refunds' | 'Balance' | 'Payouts' | 'Disputes' | 'Notifications' | 'Cards on file';
  summary: string;
  description: string;
  /** The request body: the operation's fields and the signed ones (`signedRequest`). */
  request: TObject;
  requestExamples: Record<string, Example>;
  /** What `data` holds when the answer is `0000`. */
  data: TSchema;
  answerDescription: string;
  answerExamples: Record<string, Example>;
  /** OpenAPI callbacks: the notifications the operation leads to. */
  callbacks?: Record<string, unknown>;
}

export const envelopeError = (code: BusinessCode, msg: string, timestamp: number) => ({ msg, code, timestamp, success: false, data: null });
export const envelopeOk = (data: unknown, timestamp: number) => ({ msg: 'success', code: BusinessCode.Success, timestamp, success: true, data });

/** Errors any signed call can answer. */
const SHARED_ERRORS: Record<string, Example> = {
  signature: { summary: '8001 sign does not match', value: envelopeError(BusinessCode.SignatureInvalid, 'sign does not match the request', 1795629918758) },
  header: { summary: '8002 merchantNo header malformed', value: envelopeError(BusinessCode.ParameterInvalid, 'merchantNo header must be 10 digits', 1795629918787) },
  unknownMerchant: { summary: '8003 unknown merchant', value: envelopeError(BusinessCode.MerchantUnknown, 'merchant 0000000001 is unknown', 1795629918793) },
  disabledMerchant: { summary: '8004 disabled merchant', value: envelopeError(BusinessCode.MerchantDisabled, 'merchant 4071457448 is disabled', 1795629918855) },
  staleTimestamp: {
    summary: '8008 timestamp outside the window',
    value: envelopeError(BusinessCode.TimestampOutsideWindow, 'timestamp is more than 600 seconds away from the server clock', 1795629918806),
  },
  notJson: { summary: '8014 body is not JSON', value: envelopeError(BusinessCode.BodyMalformed, 'body is not valid JSON', 1795629918823) },
  wrongType: { summary: '8014 wrong content type', value: envelopeError(BusinessCode.BodyMalformed, 'Content-Type must be application/json', 1795629918827) },
};

/** The fields every signed request carries besides its own (read by api/authenticate.ts and domain/signature.ts). */
export const SIGNED_FIELDS = {
  timestamp: Type.Union([Type.String({ pattern: '^[0-9]{1,16}$' }), Type.Integer()], {
    description: 'Milliseconds since the epoch, as a JSON number or a numeric string; within `SIGN_WINDOW_SECONDS` (default 600) of the server clock, else `8008`.',
    examples: ['1795629914442'],
  }),
  sign: Type.String({
    pattern: '^[0-9a-fA-F]{32}$|^[0-9a-fA-F]{64}$',
    description:
      'Lowercase hex MD5 of the sign string salted with the app secret (suffix or prefix, both accepted), or HMAC-SHA256 keyed with it when `signType` is `HMAC-SHA256`. See the description at the top.',
  }),
  signType: Type.String({ enum: ['MD5', 'HMAC-SHA256'], description: 'Optional; `MD5` when absent. Part of the sign string when present.', examples: ['MD5'] }),
  merchantNo: Type.String({ pattern: '^[0-9]{10}$', description: 'Optional; when present it must equal the `merchantNo` header, and it is signed.', examples: ['4071457446'] }),
};

/**
 * A signed request body: the operation's own fields plus timestamp, sign, signType and
 * merchantNo. Unknown extra fields are allowed: they are part of the sign and otherwise ignored.
 */
export function signedRequest<P extends TProperties>(properties: P, required: (keyof P & string)[], description?: string) {
  const optional = <T extends TProperties>(fields: T, keep: string[]) =>
    Object.fromEntries(Object.entries(fields).map(([name, rule]) => [name, keep.includes(name) ? rule : Type.Optional(rule)])) as T;
  return Type.Object(
    { ...optional(properties, required), ...optional(SIGNED_FIELDS, ['timestamp', 'sign']) },
    { additionalProperties: true, ...(description ? { description } : {}) },
  );
}

/** The field names of an operation's own request, without the signed ones. */
export const ownFields = (request: TObject) => Object.keys(request.properties).filter((name) => !(name in SIGNED_FIELDS));

export const MONEY = Type.String({ pattern: '^[0-9]+\\.[0-9]{2}$', description: 'Two decimals.' });
export const WIRE_TIME = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$', description: '`yyyy-MM-dd HH:mm:ss`, UTC.' });
export const nullable = <T extends TSchema>(schema: T, description?: string) =>
  Type.Union([schema, Type.Null()], description ? { description } : {});

/** The envelope with `data` of the given schema: `0000` and data, or a business error and `data: null`. */
const answerOf = (data: TSchema, description: string, examples: Record<string, Example>) =>
  Type.Object(
    {
      msg: Type.String({ description: '`success`, or a sentence naming the field or rule that failed.' }),
      code: Type.Ref('BusinessCode'),
      timestamp: Type.Integer({ description: "The gateway's clock, milliseconds." }),
      success: Type.Boolean({ description: '`true` exactly when `code` is `0000`.' }),
      data: Type.Union([data, Type.Null()], { description: '`null` on every error.' }),
    },
    { description: `${description} Business errors come with HTTP 200 too: read \`code\`.`, 'x-examples': { ...examples, ...SHARED_ERRORS } },
  );

const envelopeAnswer = (description: string, example: ReturnType<typeof envelopeError>) =>
  Type.Ref('Envelope', { description, 'x-examples': { [example.code]: { summary: `${example.code} ${example.msg}`, value: example } } });

const OTHER_ANSWERS = {
  413: envelopeAnswer(`Body over ${MAX_BODY_BYTES} bytes: \`8014\`.`, envelopeError(BusinessCode.BodyMalformed, `body is larger than ${MAX_BODY_BYTES} bytes`, 1795629918834)),
  429: envelopeAnswer(
    "Over the merchant's requests per second (default 1000): `8012`. Wait a second and send again.",
    envelopeError(BusinessCode.RateLimited, 'rate limit of 1 requests per second exceeded', 1795629918886),
  ),
  500: envelopeAnswer(
    "The gateway failed: `5000`. The order's state is unknown to you; query it before trying again (a repeated create with the same fields is safe).",
    envelopeError(BusinessCode.SystemError, 'system error; the state of the order is unknown, query it', 1795629918900),
  ),
};

const MERCHANT_HEADER = Type.Object(
  { merchantNo: Type.String({ pattern: '^[0-9]{10}$', description: 'Your merchant number. Missing or not 10 digits: `8002`; unknown: `8003`.', examples: ['4071457446'] }) },
  { required: ['merchantNo'] },
);
const PROVIDER_PARAM = Type.Object({
  provider: Type.String({ description: 'Any single path segment (the provider name your client was built for).', examples: ['acme'] }),
});

/**
 * The Fastify route schema of an operation on one of its paths. The first path is the
 * operation's own; each other one is a family alias (`/v1/:provider/<name>`), answered
 * exactly alike and documented as such.
 */
export function routeSchema(operation: OperationDoc, paths: readonly string[], path: string) {
  const own = paths[0]!;
  const isAlias = path !== own;
  const aliasName = path.split('/').pop()!;
  return {
    operationId: isAlias ? `${aliasName}Alias` : operation.operationId,
    tags: [isAlias ? 'Family aliases' : operation.tag],
    summary: isAlias ? `${operation.summary} (family alias of ${own})` : operation.summary,
    description: isAlias
      ? `Answers exactly like \`POST ${own}\`, for any single path segment \`provider\`, so a client configured with a base URL such as \`https://pay.example/v1/acme\` keeps working.\n\n${operation.description}`
      : operation.description,
    security: [],
    headers: MERCHANT_HEADER,
    ...(path.includes(':provider') ? { params: PROVIDER_PARAM } : {}),
    body: { ...operation.request, 'x-examples': operation.requestExamples },
    response: { 200: answerOf(operation.data, operation.answerDescription, operation.answerExamples), ...OTHER_ANSWERS },
    ...(operation.callbacks ? { callbacks: operation.callbacks } : {}),
  };
}

/** A notification the operation leads to: POSTed to the request's `notifyUrl`. */
export const notificationCallback = (summary: string, example: Record<string, unknown>) => ({
  '{$request.body#/notifyUrl}': {
    post: {
      summary,
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Notification' }, example } } },
      responses: { '200': { description: 'Acknowledged: the body is `OK`.', content: { 'text/plain': { schema: { type: 'string', example: 'OK' } } } } },
    },
  },
});
