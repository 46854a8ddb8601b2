import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { describeEachDatabase, startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { CashierClient } from '../support/cashier-client.ts';
import { until } from '../support/until.ts';

interface Mail {
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback; refuses the first `refuse` messages with a temporary error. */
async function startSmtp(refuse = 0) {
  const mails: Mail[] = [];
  let refused = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        if (refused < refuse) {
          refused += 1;
          const error = Object.assign(new Error('try again later'), { responseCode: 451 });
          return callback(error);
        }
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describeEachDatabase('customer receipts', (kind) => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let t: TestGateway;
  beforeAll(async () => {
    smtp = await startSmtp(1);
    t = await startTestGateway(kind, { SMTP_URL: smtp.url });
    t.gateway.startWorkers({ pollMs: 100 });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('emails a receipt with text and HTML parts and a masked card, retrying when SMTP refuses', async () => {
    const customer = await CashierClient.forNewOrder(t, { email: 'ada@example.com', amount: '19.99' });
    await customer.open();
    await customer.pay('5555555555554444');
    const job = await until(async () => {
      const row = await t.gateway.context.db.selectFrom('jobs').selectAll().where('order_no', '=', customer.platFormTradeNo).where('kind', '=', 'email').executeTakeFirst();
      return row?.status === 'pending' && row.attempts >= 1 && row.last_error ? row : undefined;
    });
    expect(job.last_error).toMatch(/try again later|451/);
    // The refused send is retried on the email schedule; bring the retry forward.
    await t.gateway.context.db.updateTable('jobs').set({ run_at: new Date() }).where('id', '=', job.id).execute();
    t.gateway.context.waker.wake();
    const [mail] = await until(() => smtp.mails.length > 0 && smtp.mails);
    expect(mail!.to).toEqual(['ada@example.com']);
    expect(mail!.raw).toMatch(/Content-Type: text\/plain/i);
    expect(mail!.raw).toMatch(/Content-Type: text\/html/i);
    const decoded = mail!.raw.replace(/=\r?\n/g, '');
    expect(decoded).toContain(customer.platFormTradeNo);
    expect(decoded).toContain('4444');
    expect(decoded).toContain('19.99');
    expect(decoded).toContain('Test Store');
    expect(decoded).not.toContain('5555555555554444');
    await until(async () => (await t.gateway.context.db.selectFrom('jobs').select('status').where('id', '=', job.id).executeTakeFirst())?.status === 'done');
  });
});

describeEachDatabase('receipts without an SMTP server', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind, { MAIL_FROM: 'receipts@shop.example' });
    t.gateway.startWorkers({ pollMs: 100 });
  });
  afterAll(() => t.close());

  const outboxMail = (marker: string) => {
    const outbox = path.join(t.dataDir, 'outbox');
    return until(() =>
      fs.existsSync(outbox) &&
      fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')).map((f) => fs.readFileSync(path.join(outbox, f), 'utf8').replace(/=\r?\n/g, '')).find((eml) => eml.includes(marker)),
    );
  };

  it('are written as .eml files to DATA_DIR/outbox', async () => {
    const customer = await CashierClient.forNewOrder(t, { email: 'grace@example.com' });
    await customer.open();
    await customer.pay('4242424242424242');
    const outbox = path.join(t.dataDir, 'outbox');
    const [file] = await until(() => fs.existsSync(outbox) && fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')).length > 0 && fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')));
    const eml = fs.readFileSync(path.join(outbox, file!), 'utf8');
    expect(eml).toMatch(/^To: grace@example\.com/m);
    expect(eml.replace(/=\r?\n/g, '')).toContain(customer.platFormTradeNo);
    expect(eml).not.toContain('4242424242424242');
  });

  it('a successful refund sends the customer a refund receipt naming the refundNo', async () => {
    const customer = await CashierClient.forNewOrder(t, { email: 'refund@example.com', amount: '40.00' });
    await customer.open();
    await customer.pay('4242424242424242');
    const refundNo = `RR${Date.now()}`;
    expect((await t.post('/v1/refund', { tradeNo: customer.tradeNo, refundNo, amount: '15.00' })).body.code).toBe('0000');
    const outbox = path.join(t.dataDir, 'outbox');
    const refundMail = await until(() =>
      fs.readdirSync(outbox).map((f) => fs.readFileSync(path.join(outbox, f), 'utf8').replace(/=\r?\n/g, '')).find((eml) => eml.includes(refundNo)),
    );
    expect(refundMail).toMatch(/^To: refund@example\.com/m);
    expect(refundMail).toContain('15.00');
  });

  it('are written in the language the customer paid in, from MAIL_FROM', async () => {
    const customer = await CashierClient.forNewOrder(t, { email: 'joana@example.com', amount: '12.50' });
    await customer.open('&lang=pt');
    expect((await customer.pay('4242424242424242', { lang: 'pt' })).status).toBe(200);
    const eml = await outboxMail(customer.platFormTradeNo);
    expect(eml).toMatch(/^From: receipts@shop\.example/m);
    expect(eml).toMatch(/^Subject: Seu pagamento de 12\.50 USD para Test Store/m);
    expect(eml).toContain('Valor pago');
    expect(eml).toContain('<html lang=3D"pt">');
    expect(eml).not.toContain('Amount paid');

    // A refund receipt of the same order speaks the same language.
    const refundNo = `RP${Date.now()}`;
    expect((await t.post('/v1/refund', { tradeNo: customer.tradeNo, refundNo, amount: '2.50' })).body.code).toBe('0000');
    const refundMail = await outboxMail(refundNo);
    expect(refundMail).toMatch(/^Subject: Reembolso de 2\.50 USD de Test Store/m);

    // The default stays English.
    const other = await CashierClient.forNewOrder(t, { email: 'ann@example.com' });
    await other.open();
    await other.pay('4242424242424242');
    expect(await outboxMail(other.platFormTradeNo)).toMatch(/^Subject: Your payment of /m);
  });
});
