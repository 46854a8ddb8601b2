import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../../context.ts';
import { CARD_TOKEN_PATTERN } from '../../domain/saved-card.ts';
import { maskedCard } from '../../domain/card.ts';
import { deleteCard } from '../../payments/delete-card.ts';
import { loadCustomerDetail } from '../../store/console/customer-detail.ts';
import { html } from '../../web/html.ts';
import { auditAction } from '../audit.ts';
import { formField, pageAdmin, sendPage } from '../respond.ts';
import { renderConfirmPage } from '../templates/confirm-page.ts';
import { cardExpiry, customerPath, renderCustomerPage } from '../templates/customer-page.ts';
import { formatTime } from '../templates/format.ts';
import { renderNotFoundPage } from '../templates/not-found-page.ts';
import { CONFIRMS_ACTION } from '../route-table.ts';
import { MERCHANT_NO_FORM as MERCHANT_NO, CUSTOMER_ID_FORM as CUSTOMER_ID } from '../../domain/ids.ts';

const CARD_TOKEN = new RegExp(CARD_TOKEN_PATTERN);

const NOTICES: Readonly<Record<string, string>> = {
  'card-deleted': 'Saved card deleted: it can no longer be charged or offered at the cashier, and the acquirer is asked to forget it.',
};
const REFUSALS: Readonly<Record<string, string>> = {
  'card-gone': 'Not deleted: that card is no longer saved for this customer.',
};

/**
 * A merchant's customer (its customerId): saved cards, orders and merchant-initiated charges,
 * and deleting a saved card. Found through the user's scope: another merchant's customer is 404.
 */
export function customerRoutes(app: FastifyInstance, context: GatewayContext) {
  const notFound = (request: FastifyRequest, reply: FastifyReply, what: 'customer' | 'saved card' = 'customer') => sendPage(reply, renderNotFoundPage({ admin: pageAdmin(request, reply), what }), 404);
  const scopedCustomer = (request: FastifyRequest) => {
    const { merchantNo, customerId } = request.params as { merchantNo: string; customerId: string };
    return MERCHANT_NO.test(merchantNo) && CUSTOMER_ID.test(customerId) ? loadCustomerDetail(context.db, request.admin!.scope, merchantNo, customerId) : Promise.resolve(undefined);
  };
  /** The customer and one of its saved cards, or undefined when either is not there (or not in scope). */
  const scopedCard = async (request: FastifyRequest) => {
    const { cardToken } = request.params as { cardToken: string };
    const detail = CARD_TOKEN.test(cardToken) ? await scopedCustomer(request) : undefined;
    const card = detail?.cards.find((saved) => saved.card_token === cardToken);
    return detail && { detail, card };
  };

  // Read from the primary: a deletion redirects here and must show its result.
  app.get('/dashboard/merchants/:merchantNo/customers/:customerId', async (request, reply) => {
    const detail = await scopedCustomer(request);
    if (!detail) return notFound(request, reply);
    const notice = formField(request.query, 'notice');
    return sendPage(reply, renderCustomerPage({ admin: pageAdmin(request, reply), detail, notice: NOTICES[notice], refusal: REFUSALS[notice] }));
  });

  app.get('/dashboard/merchants/:merchantNo/customers/:customerId/cards/:cardToken/delete', CONFIRMS_ACTION, async (request, reply) => {
    const found = await scopedCard(request);
    if (!found?.card) return notFound(request, reply, 'saved card');
    const { detail, card } = found;
    const path = customerPath(detail.merchantNo, detail.customerId);
    return sendPage(
      reply,
      renderConfirmPage({
        admin: pageAdmin(request, reply),
        section: 'orders',
        title: `Delete the saved ${maskedCard(card.card_brand, card.card_last4)}?`,
        consequences: html`<dl class="fields">
<dt>Customer</dt><dd class="mono">${detail.customerId}</dd>
<dt>Merchant</dt><dd>${detail.merchantName} (${detail.merchantNo})</dd>
<dt>Card</dt><dd>${maskedCard(card.card_brand, card.card_last4)}, expires ${cardExpiry(card)}</dd>
<dt>cardToken</dt><dd class="mono">${card.card_token}</dd>
<dt>Saved</dt><dd>${formatTime(card.created_at)}</dd>
</dl>
<p>The merchant can no longer charge this card (POST /v1/charge answers that the card is unknown), the cashier no longer offers it, and the acquirer is asked to forget it. Orders already paid with it are not changed. This cannot be undone: the customer must save the card again at a checkout.</p>`,
        action: `${path}/cards/${card.card_token}/delete`,
        fields: {},
        confirmLabel: 'Delete the saved card',
        cancelHref: path,
      }),
    );
  });

  app.post('/dashboard/merchants/:merchantNo/customers/:customerId/cards/:cardToken/delete', { preHandler: app.csrfProtection }, async (request, reply) => {
    const found = await scopedCard(request);
    if (!found) return notFound(request, reply);
    const { detail, card } = found;
    const { cardToken } = request.params as { cardToken: string };
    const path = customerPath(detail.merchantNo, detail.customerId);
    // The acquirer is asked through the same function as POST /v1/card/delete.
    const deleted = card && (await deleteCard(context, detail.merchantNo, card.card_token));
    await auditAction(context, request, {
      action: 'card.delete',
      target: cardToken,
      merchantNo: detail.merchantNo,
      outcome: deleted ? 'ok' : 'refused',
      before: deleted ? { customerId: detail.customerId, card: maskedCard(deleted.card_brand, deleted.card_last4), expiry: cardExpiry(deleted) } : null,
    });
    return reply.redirect(`${path}?notice=${deleted ? 'card-deleted' : 'card-gone'}`, 303);
  });
}
