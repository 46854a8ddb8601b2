import http from 'node:http';
import { PayrailApiError, PayrailClient, computeSign, verifyNotification, type ChargeRequest } from 'payrail/sdk';

const client = new PayrailClient({
  baseUrl: process.env.PAYRAIL_URL ?? 'http://localhost:8080',
  merchantNo: process.env.PAYRAIL_MERCHANT_NO!,
  appSecret: process.env.PAYRAIL_APP_SECRET!,
});

// sign KEY=VALUE...: the sign of those fields (computeSign leaves out empty values).
function sign(pairs: string[]): string {
  const fields = Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  return computeSign(fields, process.env.PAYRAIL_APP_SECRET!);
}
async function checkout(tradeNo: string, amount: string, notifyUrl: string, returnUrl: string) {
  const order = await client.createCheckout({
    tradeNo, amount, currency: 'USD', mobile: '15550100', email: 'buyer@example.com', userId: 'user-42', notifyUrl, returnUrl,
  });
  return order; // order.paymentUrl: send the customer there
}
function listen(port: number) {
  const secrets = [process.env.PAYRAIL_APP_SECRET!, process.env.PAYRAIL_PREVIOUS_APP_SECRET ?? ''].filter(Boolean);
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const notification = verifyNotification(Buffer.concat(chunks), secrets);
        // Record it once per notification.notifyId, then acknowledge.
        console.log(JSON.stringify(notification));
        response.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
      } catch {
        response.writeHead(400, { 'content-type': 'text/plain' }).end('bad sign');
      }
    });
  });
  server.listen(port, '127.0.0.1');
}
async function query(tradeNo: string) {
  return client.query({ tradeNo }); // .status, .desc, .payAmount, .cardLast4, .refundedAmount…
}
async function refund(tradeNo: string, refundNo: string, amount: string) {
  return client.refund({ tradeNo, refundNo, amount });
}

async function charge(tradeNo: string, amount: string, customerId: string, cardToken: string, notifyUrl: string, reason: string) {
  return client.charge({ tradeNo, amount, customerId, cardToken, notifyUrl, reason: reason as ChargeRequest['reason'] });
}
async function cards(customerId: string) {
  return client.listCards({ customerId }); // newest first: cardToken, brand, last4, expiryMonth, expiryYear
}
async function deleteCard(cardToken: string) {
  return client.deleteCard({ cardToken }); // { cardToken, deleted: true }
}

const [command, ...args] = process.argv.slice(2);
try {
  if (command === 'sign') console.log(sign(args));
  else if (command === 'checkout') console.log(JSON.stringify(await checkout(args[0]!, args[1]!, args[2]!, args[3]!)));
  else if (command === 'listen') listen(Number(args[0]));
  else if (command === 'query') console.log(JSON.stringify(await query(args[0]!)));
  else if (command === 'refund') console.log(JSON.stringify(await refund(args[0]!, args[1]!, args[2]!)));
  else if (command === 'charge') console.log(JSON.stringify(await charge(args[0]!, args[1]!, args[2]!, args[3]!, args[4]!, args[5]!)));
  else if (command === 'cards') console.log(JSON.stringify(await cards(args[0]!)));
  else if (command === 'delete-card') console.log(JSON.stringify(await deleteCard(args[0]!)));
  else throw new Error(`unknown command ${command}`);
} catch (error) {
  // A refusal carries the business code: see docs/errors.md#<code>.
  if (error instanceof PayrailApiError) console.log(JSON.stringify({ code: error.code, msg: error.message }));
  else throw error;
}
