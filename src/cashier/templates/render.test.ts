import { describe, expect, it } from 'vitest';
import { cashierAssets, contentSecurityPolicy, receiptScript, script, stylesheet } from '../assets/index.ts';
import { LOCALES, messagesFor, type ErrorReason, type Locale } from '../../i18n/index.ts';
import {
  FORM_FIELDS,
  errorStatus,
  renderChallengePage,
  renderErrorPage,
  renderPaymentPage,
  renderProcessingPage,
  renderResultPage,
  type PaymentPageInput,
} from './index.ts';

const TOKEN = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const XSS = '<script>alert(1)</script>';

const payment = (overrides: Partial<PaymentPageInput> = {}) =>
  renderPaymentPage({
    locale: 'en',
    merchantName: 'Acme Tickets',
    amountText: '300.00',
    currency: 'USD',
    remark: 'Order 42',
    token: TOKEN,
    csrfToken: 'csrf-123',
    ...overrides,
  });

/** The opening tag of the element with this id. */
function tagWithId(page: string, id: string): string {
  const tag = new RegExp(`<[a-z]+ [^>]*id="${id}"[^>]*>`).exec(page)?.[0];
  if (!tag) throw new Error(`no element with id ${id}`);
  return tag;
}

const textOfId = (page: string, id: string) => new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(page)?.[1];

const labelFor = (page: string, id: string) => new RegExp(`<label for="${id}">([^<]*)</label>`).exec(page)?.[1];

const every = (render: (locale: Locale) => string) => LOCALES.map((locale) => render(locale));

describe('payment page', () => {
  it('labels the four inputs with the spec wording in English', () => {
    const page = payment();
    expect(labelFor(page, 'cardNumber')).toBe('Card number');
    expect(labelFor(page, 'expiry')).toBe('Expiry (MM/YY)');
    expect(labelFor(page, 'cvc')).toBe('CVC');
    expect(labelFor(page, 'holder')).toBe('Name on card');
  });

  it.each(LOCALES)('in %s, labels every input visibly and in the language of the page', (locale) => {
    const page = payment({ locale });
    const p = messagesFor(locale).payment;
    expect(page).toContain(`<html lang="${locale}"`);
    expect(labelFor(page, 'cardNumber')).toBe(p.cardNumber);
    expect(labelFor(page, 'expiry')).toBe(p.expiry);
    expect(labelFor(page, 'cvc')).toBe(p.cvc);
    expect(labelFor(page, 'holder')).toBe(p.holder);
  });

  it('gives each input the autocomplete and keyboard hints of a card form', () => {
    const page = payment();
    const expected = { cardNumber: 'cc-number', expiry: 'cc-exp', cvc: 'cc-csc', holder: 'cc-name' };
    for (const [id, autocomplete] of Object.entries(expected)) {
      const tag = tagWithId(page, id);
      expect(tag).toContain(`name="${id}"`);
      expect(tag).toContain(`autocomplete="${autocomplete}"`);
      expect(tag.includes('inputmode="numeric"')).toBe(id !== 'holder');
    }
  });

  it('posts to /checkout/pay with the token, the CSRF token and the locale', () => {
    const page = payment({ locale: 'pt' });
    expect(page).toMatch(/<form id="card-form" method="post" action="\/checkout\/pay" novalidate/);
    expect(page).toContain(`<input type="hidden" name="data" value="${TOKEN}">`);
    expect(page).toContain('<input type="hidden" name="_csrf" value="csrf-123">');
    expect(page).toContain('<input type="hidden" name="lang" value="pt">');
  });

  it.each(LOCALES)('in %s, starts with a skip link to the card form, before the language links', (locale) => {
    const page = payment({ locale });
    const body = page.slice(page.indexOf('<body>'));
    const firstLink = /<a [^>]*>[^<]*<\/a>/.exec(body)?.[0];
    expect(firstLink).toBe(`<a class="skip" href="#card-form">${messagesFor(locale).payment.skipToForm}</a>`);
    expect(page).toContain('<form id="card-form"');
  });

  it('says "Pay" and the amount on the button, with the verb translated', () => {
    expect(payment()).toMatch(/<button type="submit"[^>]*>Pay 300\.00 USD<\/button>/);
    expect(payment({ locale: 'es' })).toMatch(/>Pagar 300\.00 USD<\/button>/);
    expect(payment({ locale: 'hi' })).toMatch(/>300\.00 USD का भुगतान करें<\/button>/);
  });

  it('shows the merchant, the amount, the currency and the remark', () => {
    const page = payment({ merchantName: 'Acme Tickets', remark: 'Two seats, row F' });
    expect(page).toContain('Acme Tickets');
    expect(page).toContain('300.00 <small>USD</small>');
    expect(page).toContain('Two seats, row F');
  });

  it('renders a hostile remark, merchant name and token inert', () => {
    const page = payment({ remark: XSS, merchantName: `"><img src=x onerror=alert(1)>`, token: `"><script>x</script>`, csrfToken: `'"` });
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain(XSS);
    expect(page).not.toContain('<img');
    expect(page.match(/<script/g)).toHaveLength(1); // ours, with src
    expect(page).toContain('data=%22%3E%3Cscript%3Ex%3C%2Fscript%3E&amp;lang=es');
    expect(page).toContain('name="_csrf" value="&#39;&quot;"');
  });

  it('never writes the card number or CVC back, even if a caller passes them', () => {
    const values = { holder: 'JANE DOE', expiry: '12/30', cardNumber: '4242424242424242', cvc: '123' };
    const page = payment({ values });
    expect(page).not.toContain('4242424242424242');
    expect(page).not.toContain('"123"');
    expect(tagWithId(page, 'cardNumber')).not.toContain('value=');
    expect(tagWithId(page, 'cvc')).not.toContain('value=');
    expect(tagWithId(page, 'holder')).toContain('value="JANE DOE"');
    expect(tagWithId(page, 'expiry')).toContain('value="12/30"');
  });

  it('shows each field error beside its field, tied to the input for assistive technology', () => {
    const page = payment({
      errors: [
        { field: 'number', reason: 'card.brand' },
        { field: 'expiry', reason: 'expiry.past' },
      ],
    });
    const number = tagWithId(page, 'cardNumber');
    expect(number).toContain('aria-invalid="true"');
    expect(number).toMatch(/aria-describedby="[^"]*cardNumber-error/);
    expect(number).toContain('autofocus');
    expect(textOfId(page, 'cardNumber-error')).toBe('This card brand is not accepted. Use Visa or Mastercard.');
    expect(textOfId(page, 'expiry-error')).toBe('This card has expired.');
    expect(tagWithId(page, 'expiry')).not.toContain('autofocus');
    expect(tagWithId(page, 'cvc')).not.toContain('aria-invalid');
    expect(textOfId(page, 'cvc-error')).toBe('');
    expect(page).toContain('<a href="#cardNumber">This card brand is not accepted.');
  });

  it('says a decline in one generic sentence, with the attempts left', () => {
    const page = payment({ notice: 'card.declined', attemptsLeft: 2 });
    expect(page).toContain('<div class="notice" role="alert"><p>Your card was declined. Please try another card.</p><p>You have 2 attempts left.</p></div>');
  });

  it.each(['rate.limited', 'attempts.exhausted', 'threeds.failed', 'system.error'] as const)('shows the %s notice', (notice) => {
    expect(payment({ notice, locale: 'id' })).toContain(messagesFor('id').reasons[notice]);
  });

  it('offers every other language as a link to the same order', () => {
    const page = payment({ locale: 'es' });
    for (const locale of LOCALES.filter((l) => l !== 'es')) {
      expect(page).toContain(`href="/checkout?data=${TOKEN}&amp;lang=${locale}"`);
    }
    expect(page).toContain('<span aria-current="true" lang="es">Español</span>');
    expect(page).toContain('<nav aria-label="Idioma">');
  });

  it('gives the script its sentences in the language of the page', () => {
    const page = payment({ locale: 'pt' });
    const json = /data-msg="([^"]*)"/.exec(page)?.[1]?.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    const msg = JSON.parse(json ?? '') as Record<string, string>;
    expect(msg['card.luhn']).toBe(messagesFor('pt').reasons['card.luhn']);
    expect(msg.brandNotAccepted).toBe('{brand}: não aceito');
  });

  it('names the form fields the route reads', () => {
    expect(FORM_FIELDS).toEqual({ number: 'cardNumber', expiry: 'expiry', cvc: 'cvc', holder: 'holder' });
  });
});

describe('3-D Secure page', () => {
  const challenge = (locale: Locale = 'en', error?: 'code.format' | 'threeds.failed') =>
    renderChallengePage({ locale, token: 'ab'.repeat(32), challengeId: 'ch_1', csrfToken: 'c', merchantName: 'Acme', amountText: '5.00', currency: 'USD', error });

  const base = { token: 'ab'.repeat(32), challengeId: 'ch_1', csrfToken: 'c', merchantName: 'Acme', amountText: '5.00', currency: 'USD' };

  it.each(LOCALES)('in %s, shows the test code only when given one', (locale) => {
    const sentence = messagesFor(locale).challenge.testCode.replace('{code}', '123456');
    expect(renderChallengePage({ ...base, locale, testCode: '123456' })).toContain(sentence);
    expect(renderChallengePage({ ...base, locale })).not.toContain('123456');
  });

  it('carries name and expiry through as hidden fields, escaped, and nothing of them when absent', () => {
    const page = renderChallengePage({ ...base, locale: 'en', values: { holder: 'Ada "<b>"', expiry: '12/34' } });
    expect(page).toContain('<input type="hidden" name="holder" value="Ada &quot;&lt;b&gt;&quot;">');
    expect(page).toContain('<input type="hidden" name="expiry" value="12/34">');
    expect(renderChallengePage({ ...base, locale: 'en' })).not.toMatch(/name="(holder|expiry)"/);
  });

  it('asks for the "Verification code" and has a "Submit" button posting to /checkout/3ds', () => {
    const page = challenge();
    expect(labelFor(page, 'code')).toBe('Verification code');
    expect(page).toMatch(/<button type="submit"[^>]*>Submit<\/button>/);
    expect(page).toContain('action="/checkout/3ds"');
    expect(page).toContain('name="challengeId" value="ch_1"');
    expect(tagWithId(page, 'code')).toContain('autocomplete="one-time-code"');
  });

  it('shows a malformed code beside the field and other failures above the form', () => {
    expect(textOfId(challenge('en', 'code.format'), 'code-error')).toBe('Enter the 6-digit code.');
    const failed = challenge('en', 'threeds.failed');
    expect(failed).toContain('role="alert"');
    expect(textOfId(failed, 'code-error')).toBe('');
  });

  it.each(LOCALES)('is translated in %s', (locale) => {
    expect(labelFor(challenge(locale), 'code')).toBe(messagesFor(locale).challenge.code);
  });
});

describe('result page', () => {
  const result = (returnUrl: string, locale: Locale = 'en') =>
    renderResultPage({
      locale,
      kind: 'success',
      merchantName: 'Acme',
      amountText: '300.00',
      currency: 'USD',
      maskedCard: 'Visa •••• 4242',
      platFormTradeNo: 'k3j5h2g8f7d6s5a4',
      tradeNo: 'SHOP-ORDER-1001',
      paidAt: new Date('2026-03-04T05:06:07Z'),
      returnUrl,
    });

  it('is a receipt with a link back to the merchant; the countdown to it is hidden until its script runs, no meta refresh (WCAG 2.2.1)', () => {
    const url = 'https://shop.example/done?tradeNo=T1&status=0000&sign=abc';
    const page = result(url);
    expect(page).toContain('Payment successful');
    expect(page).toContain('Visa •••• 4242');
    expect(page).toContain('<dt>Reference</dt><dd>k3j5h2g8f7d6s5a4</dd>');
    // The merchant's own order number, as the customer knows the order.
    expect(page).toContain('<dt>Order number</dt><dd>SHOP-ORDER-1001</dd>');
    expect(page).toContain('datetime="2026-03-04T05:06:07.000Z"');
    expect(page).toMatch(/Mar 4, 2026, 5:06\sAM UTC/); // ICU may put a narrow space before AM
    expect(page).toContain('<a class="btn" href="https://shop.example/done?tradeNo=T1&amp;status=0000&amp;sign=abc" data-return-link>Return to merchant</a>');
    expect(page).toContain('When you are ready, return to Acme.');
    expect(page).not.toContain('http-equiv="refresh"');
    expect(page).toMatch(/<div class="countdown" data-return-after="5" data-countdown-text="Taking you back to Acme in \{seconds\} s\."[^>]* hidden>/);
    expect(page).toContain(`<script src="${receiptScript.path}" defer></script>`);
  });

  it('loads no script when there is no link to go on to', () => {
    const page = result('javascript:alert(1)');
    expect(page).not.toContain('<script');
    expect(page).not.toContain('data-return-after');
  });

  it('follows nothing but an absolute http(s) URL', () => {
    const page = result('javascript:alert(document.cookie)');
    expect(page).not.toContain('javascript:');
    expect(page).not.toContain('http-equiv="refresh"');
    expect(page).toContain('Payment successful');
  });

  it('keeps quotes in the return URL from ending the link target', () => {
    const page = result(`https://shop.example/a'b"c`);
    expect(page).toContain('href="https://shop.example/a%27b%22c"');
  });
});

describe('processing and error pages', () => {
  it('refreshes the processing page to the same order and language', () => {
    const page = renderProcessingPage({ locale: 'hi', token: TOKEN });
    expect(page).toContain(`<meta http-equiv="refresh" content="3;url=/checkout?data=${TOKEN}&amp;lang=hi">`);
    expect(page).toContain(messagesFor('hi').processing.heading);
  });

  const reasons = Object.keys(errorStatus) as ErrorReason[];

  it.each(reasons)('explains the %s reason in every language', (reason) => {
    for (const locale of LOCALES) {
      const page = renderErrorPage({ locale, reason });
      expect(page).toContain(messagesFor(locale).error.titles[reason]);
      expect(page).toContain(messagesFor(locale).error.bodies[reason]);
      expect(page).toContain(String(errorStatus[reason]));
    }
  });

  it('answers with 404, 410, 429 or 400, never a 5xx', () => {
    expect(errorStatus).toEqual({ unknown: 404, expired: 410, closed: 410, paid: 410, failed: 410, rate: 429, bad_request: 400 });
  });
});

describe('every page', () => {
  const pages = [
    ...every((locale) => payment({ locale, errors: [{ field: 'cvc', reason: 'cvc.format' }], notice: 'card.declined', attemptsLeft: 1 })),
    ...every((locale) => renderChallengePage({ locale, token: TOKEN, challengeId: 'c', csrfToken: 'c', merchantName: 'm', amountText: '1.00', currency: 'USD' })),
    ...every((locale) => renderProcessingPage({ locale, token: TOKEN })),
    ...every((locale) => renderErrorPage({ locale, reason: 'expired' })),
  ];

  it('is a complete document that needs no inline script or style (the CSP forbids them)', () => {
    for (const page of pages) {
      expect(page.startsWith('<!doctype html>')).toBe(true);
      expect(page.trimEnd().endsWith('</html>')).toBe(true);
      expect(page).not.toMatch(/<script(?![^>]*\ssrc=)/);
      expect(page).not.toMatch(/<style/);
      expect(page).not.toMatch(/\s(style|on[a-z]+)=/);
      expect(page).not.toMatch(/https?:\/\//); // no third-party request of any kind
      expect(page).toContain(`href="${stylesheet.path}"`);
    }
  });

  it('puts the nonce on our script and stylesheet when one is given', () => {
    const page = payment({ nonce: 'rAnd0mNonceValue123==' });
    expect(page).toContain(`<script src="${script.path}" defer nonce="rAnd0mNonceValue123=="></script>`);
    expect(page).toContain(`<link rel="stylesheet" href="${stylesheet.path}" nonce="rAnd0mNonceValue123==">`);
  });
});

describe('byte budget', () => {
  const KB = 1024;
  const assets = stylesheet.body.length + script.body.length;
  const worstPayment = (locale: Locale) =>
    payment({
      locale,
      merchantName: 'M'.repeat(100),
      remark: '&'.repeat(256), // escapes to 5 bytes each
      token: 'f'.repeat(64),
      csrfToken: 'x'.repeat(64),
      errors: [
        { field: 'number', reason: 'card.brand' },
        { field: 'expiry', reason: 'expiry.format' },
        { field: 'cvc', reason: 'cvc.format' },
        { field: 'holder', reason: 'name.format' },
      ],
      values: { holder: 'J'.repeat(64), expiry: '12/30' },
      notice: 'threeds.failed',
      attemptsLeft: 4,
    });

  it.each(LOCALES)('keeps the first load of the payment page in %s (HTML + CSS + JS) under 30 KB', (locale) => {
    const typical = Buffer.byteLength(payment({ locale })) + assets;
    const worst = Buffer.byteLength(worstPayment(locale)) + assets;
    console.log(`${locale}: typical ${typical} B, worst ${worst} B (CSS ${stylesheet.body.length} B, JS ${script.body.length} B)`);
    expect(worst).toBeLessThan(30 * KB);
    expect(typical).toBeLessThan(20 * KB);
  });

  it('serves exactly our three small assets', () => {
    expect(Object.keys(cashierAssets)).toEqual([stylesheet.name, script.name, receiptScript.name]);
    expect(receiptScript.body.length).toBeLessThan(2 * KB);
    expect(assets).toBeLessThan(12 * KB);
  });
});

describe('content security policy', () => {
  it('allows nothing but our own origin', () => {
    expect(contentSecurityPolicy()).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
  });

  it('adds a nonce when given one, and refuses one that could break the header', () => {
    expect(contentSecurityPolicy('abcdefghijklmnop0123==')).toContain("script-src 'self' 'nonce-abcdefghijklmnop0123=='");
    expect(() => contentSecurityPolicy("abcdefghijklmnop'; script-src *")).toThrow(RangeError);
    expect(() => contentSecurityPolicy('short')).toThrow(RangeError);
  });
});

describe('card brand marks', () => {
  it('shows the Visa and Mastercard marks beside the card number as inline SVG, fetching nothing, and the page with its stylesheet and script stays under 30 KB', () => {
    const page = payment();
    const marks = /<input id="cardNumber"[^>]*>\s*<span class="marks">([\s\S]*?)<\/span>/.exec(page)?.[1];
    expect(marks).toContain('<svg role="img" aria-label="Visa"');
    expect(marks).toContain('<svg role="img" aria-label="Mastercard"');
    // Nothing in the marks that would make a request: no image, no href, no external URL.
    expect(marks).not.toMatch(/<image|<use|href=|url\(|https?:/);
    const bytes = Buffer.byteLength(page) + stylesheet.body.length + script.body.length;
    expect(bytes).toBeLessThan(30 * 1024);
  });
});
