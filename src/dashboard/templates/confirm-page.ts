import { html, type SafeHtml } from '../../web/html.ts';
import { layout, type Section } from './layout.ts';

export interface ConfirmPageInput {
  admin: { email: string; csrfToken: string };
  section: Section;
  /** The question, such as "Refund 12.00 USD?". */
  title: string;
  /** What will happen, in full, before anything does. */
  consequences: SafeHtml;
  /** Where the form posts, and the fields it carries (already checked by the GET). */
  action: string;
  fields: Record<string, string>;
  confirmLabel: string;
  cancelHref: string;
  /** Why it cannot be done as asked; the confirm button is left out. */
  error?: string | undefined;
}

/**
 * The step before anything that moves money or can break a merchant's integration: a GET that
 * shows what will happen and changes nothing, and a form that POSTs it with the CSRF token.
 */
export function renderConfirmPage(input: ConfirmPageInput): string {
  const hidden = Object.entries(input.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  return layout({
    title: input.title,
    admin: { ...input.admin, section: input.section },
    body: html`<h1>${input.title}</h1>
${input.consequences}
${
  input.error
    ? html`<p class="notice error" role="alert">${input.error}</p><p><a href="${input.cancelHref}">Back</a></p>`
    : html`<form class="actions confirm" method="post" action="${input.action}"><input type="hidden" name="_csrf" value="${input.admin.csrfToken}">${hidden}<button type="submit" class="danger">${input.confirmLabel}</button><a href="${input.cancelHref}">Cancel</a></form>`
}`,
  });
}
