import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeHtml, renderReceipt, safeMaskedCard, type ReceiptFacts } from './render-receipt.ts';
import { cents } from '../../domain/money.ts';

const paymentReceipt: ReceiptFacts = {
  kind: 'payment',
  merchantName: 'Acme Store',
  amountCents: cents(30000),
  currency: 'USD',
  maskedCard: 'Visa •••• 4242',
  platFormTradeNo: 'k3j9x0a1b2c3d4e5',
  tradeNo: '00000007',
  paidAt: new Date('2024-08-20T08:20:40.123Z'),
  publicUrl: 'http://localhost:8080',
};

describe('a payment receipt', () => {
  const receipt = renderReceipt(paymentReceipt);

  it('names merchant and amount in the subject', () => {
    expect(receipt.subject).toBe('Your payment of 300.00 USD to Acme Store');
  });

  it('shows merchant, amount, masked card, references and time, in text and in HTML', () => {
    for (const part of [receipt.text, receipt.html]) {
      for (const fact of ['Acme Store', '300.00 USD', 'Visa •••• 4242', 'k3j9x0a1b2c3d4e5', '00000007', '2024-08-20 08:20:40 UTC', 'http://localhost:8080']) {
        expect(part, fact).toContain(fact);
      }
    }
    expect(receipt.text).toMatch(/^Amount paid: +300\.00 USD$/m);
  });
});

describe('a refund receipt', () => {
  it('says refund and carries the refund reference', () => {
    const receipt = renderReceipt({ ...paymentReceipt, kind: 'refund', refundNo: 'R-77', amountCents: cents(1250) });
    expect(receipt.subject).toBe('Refund of 12.50 USD from Acme Store');
    expect(receipt.text).toMatch(/^Refund reference: +R-77$/m);
    expect(receipt.html).toContain('R-77');
  });

  it('is refused without its refundNo', () => {
    expect(() => renderReceipt({ ...paymentReceipt, kind: 'refund' })).toThrow(/refundNo/);
  });
});

describe('what a merchant name cannot do to a receipt', () => {
  it('cannot inject HTML', () => {
    const receipt = renderReceipt({ ...paymentReceipt, merchantName: `<script>alert("x")</script> & 'Co'` });
    expect(receipt.html).not.toContain('<script>');
    expect(receipt.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;');
  });

  it('cannot break the subject into a second header line', () => {
    const receipt = renderReceipt({ ...paymentReceipt, merchantName: 'Acme\r\nBcc: victim@example.com' });
    expect(receipt.subject).not.toMatch(/[\r\n]/);
    expect(receipt.subject).toBe('Your payment of 300.00 USD to Acme Bcc: victim@example.com');
  });

  it('no string survives escaping with a raw <, >, ", \' or a stray &', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const escaped = escapeHtml(value);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(escaped).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
      }),
    );
  });
});

describe('card numbers on receipts', () => {
  it('keeps a masked card as given', () => {
    expect(safeMaskedCard('Mastercard •••• 4444')).toBe('Mastercard •••• 4444');
    expect(safeMaskedCard('424242******4242')).toBe('424242******4242');
  });

  it('masks a full card number that reached it by mistake, keeping the last four digits', () => {
    expect(safeMaskedCard('4242424242424242')).toBe('•••• 4242');
    expect(safeMaskedCard('Visa 4242 4242 4242 4242')).toBe('•••• 4242');
    const receipt = renderReceipt({ ...paymentReceipt, maskedCard: '5555-5555-5555-4444' });
    expect(receipt.text.replace(/\D/g, '')).not.toContain('5555555555554444');
    expect(receipt.html).not.toMatch(/5555.?5555.?5555/);
    expect(receipt.text).toContain('•••• 4444');
  });

  it('never shows 13 or more digits of any 13 to 19 digit number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{13,19}$/), fc.constantFrom('', ' ', '-'), (pan, separator) => {
        const spaced = pan.replace(/(\d{4})(?=\d)/g, `$1${separator}`);
        const card = safeMaskedCard(spaced);
        expect(card.replace(/\D/g, '')).toBe(pan.slice(-4));
      }),
    );
  });
});
