import { html } from '../../web/html.ts';
import { layout, type PageUser } from './layout.ts';

export interface PasswordPageInput {
  admin: PageUser;
  /** A one-time password is in use: say why this page came first. */
  required: boolean;
  error?: string | undefined;
}

export const PASSWORD_PATH = '/dashboard/password';
export const MIN_PASSWORD_LENGTH = 12;

export const renderPasswordPage = ({ admin, required, error }: PasswordPageInput): string =>
  layout({
    title: 'Change password',
    admin: { ...admin, section: 'orders' },
    body: html`<form class="login" method="post" action="${PASSWORD_PATH}">
<h1>Change your password</h1>
${required && html`<p class="notice">You signed in with a one-time password. Choose your own password to continue.</p>`}
${error && html`<p class="notice error" role="alert">${error}</p>`}
<input type="hidden" name="_csrf" value="${admin.csrfToken}">
<input type="hidden" name="username" value="${admin.email}" autocomplete="username">
<label for="current">Current password<input id="current" name="current" type="password" autocomplete="current-password" required></label>
<label for="password">New password (at least ${String(MIN_PASSWORD_LENGTH)} characters)<input id="password" name="password" type="password" autocomplete="new-password" minlength="${String(MIN_PASSWORD_LENGTH)}" required></label>
<label for="repeat">New password again<input id="repeat" name="repeat" type="password" autocomplete="new-password" minlength="${String(MIN_PASSWORD_LENGTH)}" required></label>
<button type="submit">Change password</button>
</form>`,
  });
