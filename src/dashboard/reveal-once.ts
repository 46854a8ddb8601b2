import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../context.ts';

/**
 * A one-time password made by an action, carried across its redirect (post-redirect-get) to be
 * shown once: sealed with the master key in a short-lived HttpOnly cookie for the page that shows
 * it, which clears it as it reads it. A reload shows nothing and repeats nothing.
 */
export interface Revealed {
  email: string;
  password: string;
}

const COOKIE = 'payrail_reveal';
const TTL_MS = 2 * 60 * 1000;

const cookieOptions = (context: GatewayContext, path: string) =>
  ({ path, httpOnly: true, sameSite: 'strict', secure: context.config.env === 'production' }) as const;

/** Keeps `revealed` for the next GET of `path` by the same signed-in user. */
export function revealOnNextPage(context: GatewayContext, request: FastifyRequest, reply: FastifyReply, path: string, revealed: Revealed) {
  const sealed = context.masterKey.seal(JSON.stringify({ viewer: request.admin!.id, until: context.now().getTime() + TTL_MS, ...revealed }));
  reply.setCookie(COOKIE, sealed, { ...cookieOptions(context, path), maxAge: TTL_MS / 1000 });
}

/** What the previous action left to show to this user, once; the cookie is cleared either way. */
export function takeRevealed(context: GatewayContext, request: FastifyRequest, reply: FastifyReply, path: string): Revealed | undefined {
  const sealed = request.cookies[COOKIE];
  if (sealed === undefined) return undefined;
  reply.clearCookie(COOKIE, cookieOptions(context, path));
  try {
    const value = JSON.parse(context.masterKey.open(sealed)) as { viewer: number; until: number; email: string; password: string };
    if (value.viewer !== request.admin!.id || value.until < context.now().getTime()) return undefined;
    return { email: value.email, password: value.password };
  } catch {
    return undefined;
  }
}
