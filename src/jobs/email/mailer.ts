import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Sends emails: over SMTP when SMTP_URL is set, otherwise as `.eml` files in DATA_DIR/outbox
 * (README.md, "Receipts"), so that a fresh install can show its receipts without a mail server.
 */

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * A stable Message-ID (without angle brackets) such as `receipt-<order>@payrail`. The caller's
   * job may send the same email twice after a crash; a stable id lets mail systems see that.
   */
  messageId?: string;
}

export interface SentMail {
  messageId: string;
  /** The .eml file written, when there is no SMTP server. */
  file?: string;
}

export interface Mailer {
  /** Resolves once the SMTP server accepted the message or the file is in place; throws otherwise, so the job retries. */
  send(message: MailMessage): Promise<SentMail>;
  close(): void;
}

export interface MailerOptions {
  /** SMTP_URL, `smtp://user:pass@host:587` or `smtps://…`; unset means the outbox folder. */
  smtpUrl?: string;
  /** DATA_DIR/outbox. */
  outboxDir: string;
  /** The From address; a mail server may insist on one of its own domains. */
  from?: string;
  /** Bounds every SMTP wait (connect, greeting, each command) so a stuck server fails the job instead of hanging it. */
  smtpTimeoutMs?: number;
}

export const DEFAULT_FROM = 'Payrail <no-reply@payrail.invalid>';

/** What the mailer needs of a nodemailer transport (SMTP, or a stream that composes the .eml). */
interface Transport {
  sendMail(options: ReturnType<typeof mailOptions>): Promise<{ messageId: string; message?: unknown }>;
  close(): void;
}

export function createMailer(options: MailerOptions): Mailer {
  const from = options.from ?? DEFAULT_FROM;
  // nodemailer is loaded by the first email, not at start (docs/performance.md, "Start-up").
  let transport: Promise<Transport> | undefined;
  const transporter = () => (transport ??= openTransport(options));
  return {
    async send(message) {
      const info = await (await transporter()).sendMail(mailOptions(from, message));
      if (options.smtpUrl) return { messageId: info.messageId };
      const file = await writeAtomically(options.outboxDir, outboxFileName(), info.message as Buffer);
      return { messageId: info.messageId, file };
    },
    close: () => {
      void transport?.then((opened) => opened.close(), () => undefined);
    },
  };
}

async function openTransport(options: MailerOptions): Promise<Transport> {
  const { default: nodemailer } = await import('nodemailer');
  if (options.smtpUrl) {
    const { default: SMTPTransport } = await import('nodemailer/lib/smtp-transport/index.js');
    const timeout = options.smtpTimeoutMs ?? 30_000;
    return nodemailer.createTransport(new SMTPTransport({ url: options.smtpUrl, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout }));
  }
  // RFC 5322 lines end in CRLF, so the files open the same in every mail client.
  return nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
}

function mailOptions(from: string, message: MailMessage) {
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: crlf(message.text),
    html: crlf(message.html),
    ...(message.messageId ? { messageId: `<${message.messageId}>` } : {}),
  };
}

// nodemailer's `newline` option leaves the bare LF inside 7bit parts alone; mail wants CRLF everywhere.
const crlf = (value: string) => value.replace(/\r?\n/g, '\r\n');

// Sorts by time in a directory listing; the UUID keeps two emails of the same millisecond apart.
const outboxFileName = () => `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`;

/**
 * Writes the file under a temporary name, flushes it, then renames it into place, so a reader
 * of the outbox (or a crash) never sees half an email.
 */
async function writeAtomically(dir: string, name: string, content: Buffer): Promise<string> {
  await mkdir(dir, { recursive: true });
  const finalPath = join(dir, name);
  const tempPath = join(dir, `.${name}.tmp`);
  try {
    const handle = await open(tempPath, 'wx');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, finalPath);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  return finalPath;
}
