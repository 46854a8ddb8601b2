import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { hashPassword } from '../../src/secrets/password.ts';
import type { ConsoleRole } from '../../src/domain/console-scope.ts';

export interface DashboardResponse {
  status: number;
  html: string;
  location?: string;
  headers: Record<string, unknown>;
}

/** Creates an operator the way `payrail admin create` does, with a password of our choosing. */
export async function createAdmin(db: Kysely<Database>, email = 'ops@example.com', password = 'correct horse battery staple') {
  await db.insertInto('admins').values({ email, password_hash: await hashPassword(password) }).execute();
  return { email, password };
}

/** A console user of either role, ready to sign in (no one-time password to change first). */
export async function createUser(
  db: Kysely<Database>,
  user: { email: string; role: ConsoleRole; merchantNo?: string | null; password?: string },
) {
  const password = user.password ?? 'correct horse battery staple';
  const row = await db
    .insertInto('admins')
    .values({ email: user.email, password_hash: await hashPassword(password), role: user.role, merchant_no: user.merchantNo ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, email: user.email, password };
}

/**
 * An operator's browser without a browser: keeps the dashboard's cookies, picks up the CSRF token
 * from each page, and posts forms the way the pages would.
 */
export class DashboardClient {
  readonly cookies = new Map<string, string>();
  csrf = '';
  /** `remoteAddress` is the client address the gateway sees (login limits count per address). */
  constructor(private readonly app: FastifyInstance, readonly remoteAddress = '127.0.0.1') {}

  /** The same browser (cookies, last CSRF token) talking to another gateway node. */
  switchTo(app: FastifyInstance): DashboardClient {
    const other = new DashboardClient(app, this.remoteAddress);
    for (const [name, value] of this.cookies) other.cookies.set(name, value);
    other.csrf = this.csrf;
    return other;
  }

  get cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: { headers: Record<string, unknown>; body: string; statusCode: number }): DashboardResponse {
    const setCookie = response.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [String(setCookie)] : []) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name!);
      else this.cookies.set(name!, value.join('='));
    }
    const csrf = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (csrf) this.csrf = csrf[1]!;
    const location = response.headers.location;
    return { status: response.statusCode, html: response.body, headers: response.headers, ...(typeof location === 'string' ? { location } : {}) };
  }

  async get(url: string) {
    return this.remember(await this.app.inject({ method: 'GET', url, remoteAddress: this.remoteAddress, headers: { cookie: this.cookieHeader } }));
  }

  /** Posts a form with the current CSRF token unless `_csrf` is given (or set to '' to leave it out). */
  async post(url: string, form: Record<string, string> = {}) {
    const fields = { _csrf: this.csrf, ...form };
    if (fields._csrf === '') delete (fields as Partial<typeof fields>)._csrf;
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.remoteAddress,
        headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      }),
    );
  }

  async logIn(email: string, password: string) {
    await this.get('/dashboard/login');
    return this.post('/dashboard/login', { email, password });
  }
}
