import { formatAmount, type Cents } from '../../domain/money.ts';
import { formatWireTime } from '../../domain/wire-time.ts';
import { DEFAULT_LOCALE, format, messagesFor, type Locale } from '../../i18n/index.ts';

/**
 * The customer's receipt email for a payment or a successful refund (docs/api.md, "Receipts"):
 * merchant, amount, masked card, platFormTradeNo, time. Pure: facts in, message parts out.
 */

export interface ReceiptFacts {
  kind: 'payment' | 'refund';
  merchantName: string;
  /** Paid amount, or for a refund the refunded amount. */
  amountCents: Cents;
  currency: string;
  /** Already masked, such as `Visa •••• 4242`. A full card number is masked again here anyway. */
  maskedCard: string;
  platFormTradeNo: string;
  tradeNo: string;
  /** When the payment was made, or for a refund when the refund succeeded. */
  paidAt: Date;
  /** PUBLIC_URL of the gateway, shown so the customer can tell who processed the charge. */
  publicUrl: string;
  /** Required for refunds. */
  refundNo?: string;
  /** The cashier language the customer paid in; English when unknown. */
  locale?: Locale;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export function renderReceipt(facts: ReceiptFacts): RenderedEmail {
  if (facts.kind === 'refund' && !facts.refundNo) throw new TypeError('a refund receipt needs its refundNo');
  const merchant = singleLine(facts.merchantName);
  const amount = `${formatAmount(facts.amountCents)} ${singleLine(facts.currency)}`;
  const card = safeMaskedCard(facts.maskedCard);
  const refund = facts.kind === 'refund';

  const locale = facts.locale ?? DEFAULT_LOCALE;
  const m = messagesFor(locale).receipt;
  const values = { amount, merchant };

  const subject = format(refund ? m.refundSubject : m.paymentSubject, values);
  const heading = refund ? m.refundHeading : m.paymentHeading;
  const intro = format(refund ? m.refundIntro : m.paymentIntro, values);
  const rows: [string, string][] = [
    [m.merchant, merchant],
    [refund ? m.amountRefunded : m.amountPaid, amount],
    [m.card, card],
    [refund ? m.refundedAt : m.paidAt, `${formatWireTime(facts.paidAt)} UTC`],
    [m.orderNumber, singleLine(facts.tradeNo)],
    [m.paymentReference, singleLine(facts.platFormTradeNo)],
  ];
  if (refund) rows.push([m.refundReference, singleLine(facts.refundNo ?? '')]);
  const footer = format(refund ? m.refundFooter : m.paymentFooter, values);
  const processedBy = m.processedBy;

  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const text = [
    heading,
    '',
    intro,
    '',
    ...rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`),
    '',
    footer,
    `${processedBy}: ${facts.publicUrl}`,
    '',
  ].join('\n');

  const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>${escapeHtml(heading)}</title></head>
<body style="font-family: sans-serif; color: #222;">
<h1 style="font-size: 20px;">${escapeHtml(heading)}</h1>
<p>${escapeHtml(intro)}</p>
<table cellpadding="4" style="border-collapse: collapse;">
${rows.map(([label, value]) => `<tr><th align="left" scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n')}
</table>
<p>${escapeHtml(footer)}</p>
<p style="color: #666; font-size: 12px;">${escapeHtml(processedBy)}: <a href="${escapeHtml(facts.publicUrl)}">${escapeHtml(facts.publicUrl)}</a></p>
</body>
</html>
`;
  return { subject, text, html };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

// Merchant names and references end up in the Subject header and in one-line table cells; a
// line break there would let a merchant name forge headers or rows.
const singleLine = (value: string) => value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();

/**
 * A receipt must never carry a card number. A value with 13 or more digits is a full number
 * (Visa's shortest) that reached us by mistake, so only its last four digits are kept.
 */
export function safeMaskedCard(maskedCard: string): string {
  const digits = maskedCard.replace(/\D/g, '');
  if (digits.length >= 13) return `•••• ${digits.slice(-4)}`;
  return singleLine(maskedCard);
}
