import { html } from '../../web/html.ts';
import { LOGIN_CODE_PATH } from '../authenticate.ts';
import { layout } from './layout.ts';

export interface LoginCodePageInput {
  csrfToken: string;
  error?: string | undefined;
}

/** The second login step of a user with a second factor: the code from its authenticator app. */
export const renderLoginCodePage = ({ csrfToken, error }: LoginCodePageInput): string =>
  layout({
    title: 'Authentication code',
    body: html`<form class="login" method="post" action="${LOGIN_CODE_PATH}">
<h1>Authentication code</h1>
<p>Enter the 6-digit code your authenticator app shows for Payrail.</p>
${error && html`<p class="notice error" role="alert">${error}</p>`}
<input type="hidden" name="_csrf" value="${csrfToken}">
<label for="code">Code<input id="code" name="code" inputmode="numeric" pattern="[0-9 ]{6,7}" maxlength="7" autocomplete="one-time-code" required autofocus></label>
<button type="submit">Continue</button>
</form>`,
  });
