import type { GatewayContext } from '../context.ts';
import { AttemptStatus } from '../domain/attempt-status.ts';
import { claimChallenge, findAttemptInFlight } from '../store/attempts.ts';
import { findOrderByToken } from '../store/orders.ts';
import { attemptOutcomeOf } from './outcome.ts';
import { settleAttempt } from './settle-attempt.ts';
import { describePayment, describeSettled, type PaymentResult } from './describe-payment.ts';
import { recheckAfter } from './timing.ts';

/**
 * The customer answered the issuer's 3-D Secure challenge: the simulator's code, or the return
 * from a processor's page (`code` is then what the processor sent back, and `challengeId` may be
 * left empty: the attempt's own challenge is finished, whatever the browser claims).
 */
export async function completeChallenge(
  context: GatewayContext,
  input: { token: string; challengeId?: string; code: string },
): Promise<PaymentResult> {
  const order = await findOrderByToken(context.db, input.token);
  const attempt = order && (await findAttemptInFlight(context.db, order.plat_form_trade_no));
  const challengeId = attempt?.challenge_id;
  if (!order || attempt?.status !== AttemptStatus.Challenge || !challengeId || (input.challengeId && input.challengeId !== challengeId)) {
    return describePayment(context, order, attempt);
  }
  const now = context.now();
  const claimed = await claimChallenge(context.db, attempt.id, challengeId, recheckAfter(AttemptStatus.Processing, now, context.config.acquirerTimeoutMs), now);
  if (!claimed) return describePayment(context, order);
  const answer = await context.acquirers.get(attempt.acquirer).completeChallenge(challengeId, input.code);
  return describeSettled(context, await settleAttempt(context, attempt.id, AttemptStatus.Processing, attemptOutcomeOf(answer)));
}
