import { html } from '../../web/html.ts';
import { formatAmount, type Cents } from '../../domain/money.ts';
import { layout, type PageUser } from './layout.ts';

export interface MerchantEditPageInput {
  admin: PageUser;
  merchant: {
    merchant_no: string;
    name: string;
    fee_bps: number;
    min_amount_cents: Cents;
    max_amount_cents: Cents;
    salt_placement: 'suffix' | 'prefix';
    require_hmac: boolean;
  };
  error?: string | undefined;
}

/** The form that changes a merchant's fee, amount limits, salt placement and HMAC-only setting. */
export function renderMerchantEditPage({ admin, merchant: m, error }: MerchantEditPageInput): string {
  const placement = (value: 'suffix' | 'prefix', label: string) =>
    m.salt_placement === value ? html`<option value="${value}" selected>${label}</option>` : html`<option value="${value}">${label}</option>`;
  return layout({
    title: `Edit ${m.name}`,
    admin: { ...admin, section: 'merchants' },
    body: html`<h1>Edit <span class="mono">${m.merchant_no}</span> · ${m.name}</h1>
${error && html`<p class="notice error" role="alert">${error}</p>`}
<form class="login" method="post" action="/dashboard/merchants/${m.merchant_no}/settings">
<input type="hidden" name="_csrf" value="${admin.csrfToken}">
<label for="feeBps">Fee (basis points, 100 = 1%)<input id="feeBps" name="feeBps" inputmode="numeric" pattern="[0-9]{1,5}" required value="${String(m.fee_bps)}"></label>
<label for="minAmount">Smallest order amount (USD)<input id="minAmount" name="minAmount" inputmode="decimal" required value="${formatAmount(m.min_amount_cents)}"></label>
<label for="maxAmount">Largest order amount (USD)<input id="maxAmount" name="maxAmount" inputmode="decimal" required value="${formatAmount(m.max_amount_cents)}"></label>
<label for="saltPlacement">Secret in the MD5 signs we send<select id="saltPlacement" name="saltPlacement">${placement('suffix', 'suffix (after the fields)')}${placement('prefix', 'prefix (before the fields)')}</select></label>
<label for="requireHmac"><input id="requireHmac" name="requireHmac" type="checkbox" value="1"${m.require_hmac ? html` checked` : ''}> Accept only HMAC-SHA256 signs</label>
<button type="submit">Save</button> <a href="/dashboard/merchants">Cancel</a>
</form>`,
  });
}
