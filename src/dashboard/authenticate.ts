import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../context.ts';
import { ALL_MERCHANTS, oneMerchant, roleMayAct, type ConsoleRole, type ConsoleScope } from '../domain/console-scope.ts';
import { endAdminSessions, findAdmin, type AdminRow } from '../store/console/admins.ts';
import { PASSWORD_PATH } from './templates/password-page.ts';
import { auditAction } from './audit.ts';
import { refusedToViewer } from './route-table.ts';
import { parseSession, SESSION_COOKIE, SESSION_TTL_MS, sessionMacMatches, signSession } from './session.ts';

export interface SignedInAdmin {
  id: number;
  email: string;
  /** A one-time password is still in use: every page leads to the change-password form. */
  mustChangePassword: boolean;
  role: ConsoleRole;
  /** What this user may see; every console store query is filtered by it. */
  scope: ConsoleScope;
  /** The merchant of a merchant user; null for an operator. */
  merchantNo: string | null;
  /** False for a merchant-viewer: it reads and exports, and every action is refused. */
  mayAct: boolean;
}

/** The signed-in user a console user row stands for: its role decides its scope. */
export const signedInUser = (row: AdminRow): SignedInAdmin => ({
  id: row.id,
  email: row.email,
  mustChangePassword: row.must_change_password,
  role: row.role,
  scope: row.role === 'operator' ? ALL_MERCHANTS : oneMerchant(row.merchant_no!),
  merchantNo: row.role === 'operator' ? null : row.merchant_no,
  mayAct: roleMayAct(row.role),
});

/**
 * What a session is bound to besides its id and expiry: the password hash and the session
 * generation. A new password or a logout moves them on, and every earlier cookie stops working.
 */
const sessionBinding = (admin: { password_hash: string; session_generation: number }) => `${admin.password_hash}\n${admin.session_generation}`;

declare module 'fastify' {
  interface FastifyRequest {
    /** The operator of a dashboard request, set by `requireAdmin`. */
    admin?: SignedInAdmin;
  }
}

export const LOGIN_PATH = '/dashboard/login';

export const sessionCookieOptions = (context: GatewayContext) =>
  ({ path: '/dashboard', httpOnly: true, sameSite: 'strict', secure: context.config.env === 'production' }) as const;

/** Sets the session cookie for `admin`, valid for SESSION_TTL_MS on any node with the same master key. */
export function startSession(context: GatewayContext, reply: FastifyReply, admin: { id: number; password_hash: string; session_generation: number }) {
  const expiresAt = context.now().getTime() + SESSION_TTL_MS;
  const value = signSession(context.masterKey.sessionKey, { adminId: admin.id, expiresAt }, sessionBinding(admin));
  reply.setCookie(SESSION_COOKIE, value, { ...sessionCookieOptions(context), maxAge: SESSION_TTL_MS / 1000 });
}

export const endSession = (context: GatewayContext, reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(context));

/**
 * Logout: the user's sessions end on the server too (a copied cookie stops working), and the
 * cookie is cleared. Answers the user that was signed in, if any.
 */
export async function logOut(context: GatewayContext, request: FastifyRequest, reply: FastifyReply): Promise<SignedInAdmin | undefined> {
  const admin = await sessionAdmin(context, request);
  if (admin) await endAdminSessions(context.db, admin.id);
  endSession(context, reply);
  return admin;
}

/**
 * The user a request's session cookie names, when the cookie is intact, unexpired and still
 * matches the user, and the user is not disabled.
 */
export async function sessionAdmin(context: GatewayContext, request: FastifyRequest): Promise<SignedInAdmin | undefined> {
  const claims = parseSession(request.cookies[SESSION_COOKIE], context.now());
  if (!claims) return undefined;
  const admin = await findAdmin(context.db, claims.adminId);
  if (!admin || admin.disabled_at !== null || !sessionMacMatches(context.masterKey.sessionKey, claims, sessionBinding(admin))) return undefined;
  return signedInUser(admin);
}

/**
 * onRequest hook of every page behind the login: a page without a valid session is sent to the
 * login form (303), an action is refused (401) so nothing changes.
 */
export const requireAdmin = (context: GatewayContext) => async (request: FastifyRequest, reply: FastifyReply) => {
  const admin = await sessionAdmin(context, request);
  if (admin) {
    request.admin = admin;
    // A one-time password: nothing but the change-password page until it is changed.
    if (admin.mustChangePassword && request.url.split('?')[0] !== PASSWORD_PATH) {
      if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect(PASSWORD_PATH, 303);
      return reply.status(403).type('text/plain; charset=utf-8').send('Change your one-time password first');
    }
    return;
  }
  if (request.cookies[SESSION_COOKIE] !== undefined) endSession(context, reply);
  if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect(LOGIN_PATH, 303);
  return reply.status(401).type('text/plain; charset=utf-8').send('Not signed in');
};

/**
 * onRequest hook of the operator-only pages (every merchant, the users, the whole gateway): a
 * merchant user is answered 404, as if the page did not exist, and nothing runs.
 */
export const requireOperator = async (request: FastifyRequest, reply: FastifyReply) => {
  if (request.admin?.role !== 'operator') return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
};

/**
 * onRequest hook after `requireAdmin`: a merchant-viewer reads and exports only. Every action
 * (each POST but its own password and second factor, and the confirmation pages that lead to
 * one) is answered 403 and leaves a `refused` audit row; nothing else runs.
 */
export const refuseViewerActions = (context: GatewayContext) => async (request: FastifyRequest, reply: FastifyReply) => {
  const admin = request.admin;
  if (!admin || admin.mayAct || !refusedToViewer(request.method, request.routeOptions.config)) return;
  await auditAction(context, request, { action: 'role.refused', target: `${request.method} ${request.routeOptions.url ?? ''}`, merchantNo: admin.merchantNo, outcome: 'refused' });
  return reply.status(403).type('text/plain; charset=utf-8').send('Your role, merchant viewer, can read and export only: ask a merchant admin of your team to do this.');
};

/**
 * Between a right password and a right code: a short-lived signed cookie naming the user, bound
 * like a session (a new password or a logout everywhere ends it) but never accepted as one.
 */
export const CODE_STEP_COOKIE = 'payrail_login_code';
export const LOGIN_CODE_PATH = '/dashboard/login/code';
const CODE_STEP_TTL_MS = 5 * 60 * 1000;
const codeStepBinding = (admin: { password_hash: string; session_generation: number }) => `second factor\n${sessionBinding(admin)}`;
const codeStepCookieOptions = (context: GatewayContext) =>
  ({ path: LOGIN_PATH, httpOnly: true, sameSite: 'strict', secure: context.config.env === 'production' }) as const;

export function startCodeStep(context: GatewayContext, reply: FastifyReply, admin: AdminRow) {
  const expiresAt = context.now().getTime() + CODE_STEP_TTL_MS;
  const value = signSession(context.masterKey.sessionKey, { adminId: admin.id, expiresAt }, codeStepBinding(admin));
  reply.setCookie(CODE_STEP_COOKIE, value, { ...codeStepCookieOptions(context), maxAge: CODE_STEP_TTL_MS / 1000 });
}

export const endCodeStep = (context: GatewayContext, reply: FastifyReply) => reply.clearCookie(CODE_STEP_COOKIE, codeStepCookieOptions(context));

/** The user whose password was right a moment ago and who now owes a code; undefined when the step ran out or was never started. */
export async function codeStepAdmin(context: GatewayContext, request: FastifyRequest): Promise<AdminRow | undefined> {
  const claims = parseSession(request.cookies[CODE_STEP_COOKIE], context.now());
  if (!claims) return undefined;
  const admin = await findAdmin(context.db, claims.adminId);
  if (!admin || !sessionMacMatches(context.masterKey.sessionKey, claims, codeStepBinding(admin))) return undefined;
  return admin;
}
