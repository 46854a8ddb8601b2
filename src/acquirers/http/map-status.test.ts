import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapAuthorization, mapAuthorizationQuery, mapDeleteStoredCard } from './map-status.ts';

/** Bodies near the protocol's answers (so some are well formed), and anything JSON at all. */
const storedCard = fc.record(
  { token: fc.string({ maxLength: 8 }), expiryMonth: fc.integer({ min: -1, max: 13 }), expiryYear: fc.integer({ min: 1999, max: 3000 }) },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.record({ outcome: fc.constantFrom('approved', 'declined', 'deleted', 'kept'), reference: fc.string({ maxLength: 4 }), storedCard }, { requiredKeys: ['outcome'] }),
  fc.jsonValue(),
  fc.constant(undefined),
);
const status = fc.constantFrom(200, 200, 400, 429, 500, 503);

describe('reading the http protocol answers of cards on file', () => {
  it('never throws; an approval needs a 200 and a reference, and carries a saved card only when it is well formed', () => {
    fc.assert(
      fc.property(status, body, (code, answer) => {
        for (const map of [mapAuthorization, mapAuthorizationQuery]) {
          const result = map({ status: code, body: answer });
          const sent = answer as { outcome?: unknown; reference?: unknown; storedCard?: { token?: string; expiryMonth?: number; expiryYear?: number } };
          if (result.outcome !== 'approved') continue;
          expect(code).toBe(200);
          expect(sent.outcome).toBe('approved');
          expect(result.reference).toBe(sent.reference);
          if (result.storedCard) {
            expect(result.storedCard).toEqual(sent.storedCard);
            expect(result.storedCard.token.length).toBeGreaterThan(0);
            expect(result.storedCard.expiryMonth).toBeGreaterThanOrEqual(1);
            expect(result.storedCard.expiryMonth).toBeLessThanOrEqual(12);
          } else {
            expect(sent.storedCard).toBeUndefined();
          }
        }
      }),
    );
  });

  it('a token is deleted only when a 200 says so; anything else is unknown', () => {
    fc.assert(
      fc.property(status, body, (code, answer) => {
        const result = mapDeleteStoredCard({ status: code, body: answer });
        const said = code === 200 && (answer as { outcome?: unknown } | undefined)?.outcome === 'deleted';
        expect(result.outcome).toBe(said ? 'deleted' : 'unknown');
      }),
    );
  });
});
