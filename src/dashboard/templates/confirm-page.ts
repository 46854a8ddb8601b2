import { html, type SafeHtml } from '../../web/html.ts';
import { layout, type PageUser, type Section } from './layout.ts';

export interface ConfirmPageInput {
  admin: PageUser;
  section: Section;
  title: string;
  /** What will happen, said plainly. */
  message: SafeHtml | string;
  /** Where the confirmed form posts. */
  action: string;
  button: string;
  cancelHref: string;
}

/** The step before an action that cannot be taken back quietly: say what happens, then one button that does it. */
export const renderConfirmPage = (input: ConfirmPageInput): string =>
  layout({
    title: input.title,
    admin: { ...input.admin, section: input.section },
    body: html`<h1>${input.title}</h1>
<p>${input.message}</p>
<form method="post" action="${input.action}" class="actions">
<input type="hidden" name="_csrf" value="${input.admin.csrfToken}">
<button type="submit" class="danger">${input.button}</button>
<a href="${input.cancelHref}">Cancel</a>
</form>`,
  });
