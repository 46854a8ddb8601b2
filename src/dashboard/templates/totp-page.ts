import { html, unsafeRaw } from '../../web/html.ts';
import { layout, type PageUser } from './layout.ts';

export const TOTP_PATH = '/dashboard/totp';

export type TotpPageInput = {
  admin: PageUser;
  notice?: string | undefined;
  error?: string | undefined;
} & (
  | { enrolled: true }
  | {
      enrolled: false;
      /** The otpauth:// URI, also shown as text for apps that take it typed or pasted. */
      uri: string;
      secret: string;
      /** The QR code of `uri`, an SVG document made on the server by the qrcode library. */
      qrSvg: string;
      /** The pending secret, sealed with the master key, posted back with the first code. */
      pending: string;
    }
);

/** The user's own second factor: enrol with a QR code and a first code, or turn it off with a current code. */
export function renderTotpPage(input: TotpPageInput): string {
  const { admin, notice, error } = input;
  const body = input.enrolled
    ? html`<p>Two-factor login is <strong>on</strong>: after your password, the console asks for the code of your authenticator app.</p>
<h2>Turn it off</h2>
<form method="post" action="${TOTP_PATH}/disable" class="filters">
<input type="hidden" name="_csrf" value="${admin.csrfToken}">
<label for="code">Current code<input id="code" name="code" inputmode="numeric" pattern="[0-9 ]{6,7}" maxlength="7" autocomplete="one-time-code" required></label>
<button type="submit" class="danger">Turn off two-factor login</button>
</form>`
    : html`<p>Two-factor login is <strong>off</strong>. Scan this code with an authenticator app, then enter the code it shows to turn it on.</p>
<figure class="qr">${unsafeRaw(input.qrSvg.replace('<svg ', '<svg role="img" aria-label="QR code of the otpauth URI below" '))}
<figcaption><code data-testid="otpauth-uri">${input.uri}</code><br>Key: <code data-testid="totp-secret">${input.secret}</code></figcaption></figure>
<form method="post" action="${TOTP_PATH}/enrol" class="filters">
<input type="hidden" name="_csrf" value="${admin.csrfToken}">
<input type="hidden" name="pending" value="${input.pending}">
<label for="code">Code from the app<input id="code" name="code" inputmode="numeric" pattern="[0-9 ]{6,7}" maxlength="7" autocomplete="one-time-code" required></label>
<button type="submit">Turn on two-factor login</button>
</form>`;
  return layout({
    title: 'Two-factor login',
    admin: { ...admin, section: 'account' },
    body: html`<h1>Two-factor login</h1>
${notice && html`<p class="notice" role="status">${notice}</p>`}
${error && html`<p class="notice error" role="alert">${error}</p>`}
${body}`,
  });
}
