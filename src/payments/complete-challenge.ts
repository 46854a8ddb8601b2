import type { GatewayContext } from '../context.ts';
import { AttemptStatus } from '../domain/attempt-status.ts';
import { claimChallenge, findAttemptInFlight } from '../store/attempts.ts';
import { findOrderByToken } from '../store/orders.ts';
import { attemptOutcomeOf } from './outcome.ts';
import { describePayment, settleAttempt, type PaymentResult } from './settle-attempt.ts';
import { recheckAfter } from './timing.ts';

/** The customer answered the issuer's 3-D Secure challenge. */
export async function completeChallenge(
  context: GatewayContext,
  input: { token: string; challengeId: string; code: string },
): Promise<PaymentResult> {
  const order = await findOrderByToken(context.db, input.token);
  const attempt = order && (await findAttemptInFlight(context.db, order.plat_form_trade_no));
  if (!order || attempt?.status !== AttemptStatus.Challenge || attempt.challenge_id !== input.challengeId) {
    return describePayment(context, order, { attemptInFlight: attempt });
  }
  const now = context.now();
  const claimed = await claimChallenge(context.db, attempt.id, input.challengeId, recheckAfter(AttemptStatus.Processing, now, context.config.acquirerTimeoutMs), now);
  if (!claimed) return describePayment(context, order);
  const answer = await context.acquirer.completeChallenge(input.challengeId, input.code);
  return settleAttempt(context, attempt.id, AttemptStatus.Processing, attemptOutcomeOf(answer));
}
