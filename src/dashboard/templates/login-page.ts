import { html } from '../../web/html.ts';
import { layout } from './layout.ts';

export interface LoginPageInput {
  csrfToken: string;
  email?: string | undefined;
  error?: string | undefined;
}

export const renderLoginPage = ({ csrfToken, email, error }: LoginPageInput): string =>
  layout({
    title: 'Log in',
    body: html`<form class="login" method="post" action="/dashboard/login">
<h1>Payrail console login</h1>
${error && html`<p class="notice error" role="alert">${error}</p>`}
<input type="hidden" name="_csrf" value="${csrfToken}">
<label for="email">Email<input id="email" name="email" type="email" autocomplete="username" required value="${email ?? ''}"></label>
<label for="password">Password<input id="password" name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button>
</form>`,
  });
