import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { createMailer } from './mailer.ts';
import { renderReceipt } from './render-receipt.ts';
import { cents } from '../../domain/money.ts';

const receipt = renderReceipt({
  kind: 'payment',
  merchantName: 'Acme & Söhne <Store>',
  amountCents: cents(30000),
  currency: 'USD',
  // A full number by mistake: it must not reach the customer's mailbox.
  maskedCard: '4242424242424242',
  platFormTradeNo: 'k3j9x0a1b2c3d4e5',
  tradeNo: '00000007',
  paidAt: new Date('2024-08-20T08:20:40Z'),
  publicUrl: 'http://localhost:8080',
});
const message = { to: 'customer@example.com', ...receipt, messageId: 'receipt-k3j9x0a1b2c3d4e5@payrail' };

/** The decoded text/plain and text/html parts of a raw RFC 5322 message (enough MIME for our own output). */
function mimeParts(raw: string): Record<string, string> {
  const parts: Record<string, string> = {};
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(raw)?.[1];
  if (!boundary) throw new Error('not a multipart message');
  for (const section of raw.split(`--${boundary}`).slice(1, -1)) {
    const [head = '', ...rest] = section.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
    const content = rest.join('\n\n');
    const type = /content-type:\s*([^;\r\n]+)/i.exec(head)?.[1]?.trim() ?? '';
    const encoding = /content-transfer-encoding:\s*(\S+)/i.exec(head)?.[1]?.toLowerCase() ?? '7bit';
    const bytes =
      encoding === 'base64'
        ? Buffer.from(content.replace(/\s+/g, ''), 'base64')
        : encoding === 'quoted-printable'
          ? Buffer.from(
              content.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            )
          : Buffer.from(content, 'utf8');
    parts[type] = bytes.toString('utf8').replace(/\r\n/g, '\n');
  }
  return parts;
}

const cardDigits = /4242\D?4242\D?4242\D?4242/;

describe('sending receipts through a real SMTP server on loopback', () => {
  const inbox: { from: string; to: string[]; raw: string }[] = [];
  let rejectNext = false;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (rejectNext) {
          rejectNext = false;
          callback(Object.assign(new Error('mailbox full'), { responseCode: 452 }));
          return;
        }
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  let smtpUrl = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

  it('delivers text and HTML parts with the receipt facts and no card number', async () => {
    const mailer = createMailer({ smtpUrl, outboxDir: '/nonexistent', from: 'Payrail <receipts@payrail.test>' });
    try {
      const sent = await mailer.send(message);
      expect(sent).toEqual({ messageId: '<receipt-k3j9x0a1b2c3d4e5@payrail>' });
    } finally {
      mailer.close();
    }
    const mail = inbox.at(-1)!;
    expect(mail.from).toBe('receipts@payrail.test');
    expect(mail.to).toEqual(['customer@example.com']);
    expect(mail.raw).toMatch(/^Message-ID: <receipt-k3j9x0a1b2c3d4e5@payrail>\r$/m);
    const parts = mimeParts(mail.raw);
    expect(parts['text/plain']).toContain('Acme & Söhne <Store>');
    expect(parts['text/plain']).toContain('300.00 USD');
    expect(parts['text/plain']).toContain('•••• 4242');
    expect(parts['text/html']).toContain('Acme &amp; Söhne &lt;Store&gt;');
    expect(parts['text/html']).toContain('k3j9x0a1b2c3d4e5');
    for (const part of [mail.raw, parts['text/plain']!, parts['text/html']!]) expect(part).not.toMatch(cardDigits);
  });

  it('throws when the server refuses the message, so the job retries', async () => {
    const mailer = createMailer({ smtpUrl, outboxDir: '/nonexistent' });
    rejectNext = true;
    try {
      await expect(mailer.send(message)).rejects.toThrow(/mailbox full/);
    } finally {
      mailer.close();
    }
  });

  it('throws when no server listens', async () => {
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', outboxDir: '/nonexistent', smtpTimeoutMs: 2_000 });
    try {
      await expect(mailer.send(message)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      mailer.close();
    }
  });
});

describe('writing receipts to the outbox folder without SMTP', () => {
  let outboxDir = '';
  beforeAll(async () => {
    outboxDir = join(await mkdtemp(join(tmpdir(), 'payrail-outbox-')), 'outbox');
  });
  afterEach(async () => {
    await rm(outboxDir, { recursive: true, force: true });
  });

  it('writes one complete .eml file per email, creating the folder, with CRLF lines', async () => {
    const mailer = createMailer({ outboxDir });
    const first = await mailer.send(message);
    const second = await mailer.send({ ...message, messageId: undefined });
    mailer.close();

    const files = (await readdir(outboxDir)).sort();
    expect(files).toHaveLength(2);
    expect(files.every((name) => name.endsWith('.eml'))).toBe(true);
    expect(files.map((name) => join(outboxDir, name))).toContain(first.file);
    expect(second.messageId).toMatch(/^<.+@.+>$/);

    const raw = await readFile(first.file!, 'utf8');
    expect(raw).toMatch(/^To: customer@example\.com\r$/m);
    expect(raw).toMatch(/^Subject: /m);
    expect(raw).not.toMatch(/[^\r]\n/);
    const parts = mimeParts(raw);
    expect(parts['text/plain']).toContain('Payment reference: k3j9x0a1b2c3d4e5');
    expect(parts['text/html']).toContain('<h1');
    expect(raw).not.toMatch(cardDigits);
  });

  it('leaves no temporary file behind', async () => {
    const mailer = createMailer({ outboxDir });
    await mailer.send(message);
    expect((await readdir(outboxDir)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('throws when the outbox cannot be written', async () => {
    const blocker = join(await mkdtemp(join(tmpdir(), 'payrail-outbox-')), 'file');
    await writeFile(blocker, 'not a folder');
    await expect(createMailer({ outboxDir: blocker }).send(message)).rejects.toThrow();
  });
});
