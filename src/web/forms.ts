import type { FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';

/**
 * Form posts for a browser-facing area (the cashier page, the dashboard): urlencoded bodies up
 * to `bodyLimit`, and a CSRF token whose secret lives in a cookie scoped to the area's path.
 */
export async function registerForms(app: FastifyInstance, options: { path: string; cookieKey: string; bodyLimit: number; secure: boolean }) {
  await app.register(formbody, { bodyLimit: options.bodyLimit });
  await app.register(cookie);
  await app.register(csrf, {
    cookieKey: options.cookieKey,
    cookieOpts: { path: options.path, httpOnly: true, sameSite: 'strict', secure: options.secure, signed: false },
  });
}

/** A form or query field as one string; a repeated or missing field is absent, never an array. */
export function formText(source: unknown, name: string): string | undefined {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}
