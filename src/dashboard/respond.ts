import type { FastifyReply, FastifyRequest } from 'fastify';
import { formText } from '../web/forms.ts';
import type { SignedInAdmin } from './authenticate.ts';
import { DASHBOARD_CSP } from './assets/index.ts';

/** Sends a dashboard page: our CSP, never cached (pages may show a just-created secret), never framed. */
export const sendPage = (reply: FastifyReply, page: string, status = 200) =>
  reply
    .status(status)
    .headers({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': DASHBOARD_CSP,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    })
    .send(page);

/** The signed-in user, its role and a fresh CSRF token, which every page needs for its forms (logout at least). */
export const pageAdmin = (request: FastifyRequest, reply: FastifyReply) => {
  const admin = request.admin as SignedInAdmin;
  return { email: admin.email, role: admin.role, mayAct: admin.mayAct, csrfToken: reply.generateCsrf() };
};

/** The console's plain 404: the same answer for what does not exist and for what the user may not see. */
export const sendNotFound = (reply: FastifyReply) => reply.status(404).type('text/plain; charset=utf-8').send('Not found');

/** A form or query field as one trimmed string ('' when absent or repeated). */
export const formField = (source: unknown, name: string): string => (formText(source, name) ?? '').trim();
