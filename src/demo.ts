import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from './db/schema.ts';
import type { MasterKey } from './secrets/master-key.ts';
import { createMerchant, hasMerchants } from './store/merchants.ts';
import { hasAdmins, upsertAdmin } from './store/console/admins.ts';
import { hashPassword, newOneTimePassword } from './secrets/password.ts';

/**
 * A tiny stand-in for a merchant's own server, served by the gateway in development so that the
 * first checkout has somewhere to send its notification and its customer.
 */
export function demoMerchantRoutes(app: FastifyInstance) {
  app.post('/demo/notify', async (_request, reply) => reply.type('text/plain').send('OK'));
  app.get('/demo/return', async (request, reply) => {
    const query = new URLSearchParams(request.query as Record<string, string>);
    reply.type('text/html; charset=utf-8');
    return `<!doctype html><meta charset="utf-8"><title>Demo shop</title><h1>Back at the demo shop</h1><p>The gateway sent the customer back with: <code>${escape(query.toString())}</code></p>`;
  });
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The command printed on first start: signs a checkout request with the demo secret and prints the paymentUrl. */
export function checkoutCommand(config: Config, merchantNo: string, appSecret: string): string {
  const script = [
    `const c=require("crypto");`,
    `const b={tradeNo:"demo-"+Date.now(),amount:"10.00",mobile:"15550100",email:"buyer@example.com",userId:"demo",currency:"USD",`,
    `notifyUrl:"${config.publicUrl}/demo/notify",returnUrl:"${config.publicUrl}/demo/return",timestamp:String(Date.now())};`,
    `b.sign=c.createHash("md5").update(Object.keys(b).sort().map(k=>k+"="+b[k]).join("")+"${appSecret}").digest("hex");`,
    `fetch("${config.publicUrl}/v1/checkout",{method:"POST",headers:{"content-type":"application/json",merchantNo:"${merchantNo}"},body:JSON.stringify(b)})`,
    `.then(r=>r.json()).then(j=>console.log(j.data?j.data.paymentUrl:j))`,
  ].join('');
  return `node -e '${script}'`;
}

export const DEMO_OPERATOR = 'admin@payrail.local';

/**
 * In production the first start creates nothing and prints no secret: it says how to create the
 * first merchant and operator with the CLI.
 */
function productionFirstStart(config: Config): string {
  const embedded = config.databaseUrl === undefined;
  return [
    '',
    'First start in production: the database is empty. No demo merchant and no operator were created.',
    embedded
      ? 'Stop the gateway (the embedded database is used by one process at a time), then, with the same environment:'
      : 'With the same environment (DATABASE_URL, PAYRAIL_MASTER_KEY), from any machine:',
    '',
    '  npx payrail merchant create --name "Your Store"     # prints its merchantNo and app secret once',
    '  npx payrail admin create --email you@example.com      # prints a one-time password, changed at first login',
    '',
    `Then sign in at ${config.publicUrl}/dashboard`,
    '',
  ].join('\n');
}

/** On the first start of an empty database: a demo merchant (not in production), and what to do next. */
export async function createDemoMerchantIfEmpty(db: Kysely<Database>, key: MasterKey, config: Config): Promise<string | undefined> {
  if (await hasMerchants(db)) return undefined;
  if (config.env === 'production') return (await hasAdmins(db)) ? undefined : productionFirstStart(config);
  const { merchantNo, appSecret } = await createMerchant(db, key, { name: 'Demo Store' });
  // The CLI cannot open the embedded database while the server holds it, so the first
  // operator is made here too.
  const password = newOneTimePassword();
  await upsertAdmin(db, DEMO_OPERATOR, await hashPassword(password));
  return [
    '',
    'First start: created a demo merchant and an operator.',
    `  merchantNo  ${merchantNo}`,
    `  app secret  ${appSecret}`,
    `  dashboard   ${config.publicUrl}/dashboard  (operator ${DEMO_OPERATOR}, password ${password})`,
    '',
    'Create a checkout and print its paymentUrl (paste into another terminal):',
    '',
    checkoutCommand(config, merchantNo, appSecret),
    '',
  ].join('\n');
}
