/**
 * Where the outbox delivers: SMTP (nodemailer, SMTP_URL) in production, or — with no SMTP configured —
 * `.eml` files under DATA_DIR/outbox written by nodemailer's stream transport. The log line names the file
 * and the message's links with their tokens hidden (a migration link is a key to an account: whoever reads
 * the log could use it); with DEV_LOG_SECRETS (local development only, refused in production) the links are
 * logged whole, so a developer can follow one without opening the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SendMailOptions, Transporter } from 'nodemailer';
import type { Config } from '../../config';
import { maskEmail } from '../../domain/email';
import { type Logger, redactSecrets } from '../../logging';

export interface TransportMessage {
  /** The outbox row id, for file names and the Message-ID. */
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  lang: string;
  kind: string;
}

export interface SendResult {
  messageId?: string;
  /** The .eml file written (file transport). */
  file?: string;
}

export interface MailTransport {
  readonly name: 'smtp' | 'file';
  send(message: TransportMessage): Promise<SendResult>;
  close(): void;
}

function mailOptions(message: TransportMessage): SendMailOptions {
  return {
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    headers: { 'Content-Language': message.lang === 'en' ? 'en' : 'ms', 'X-Mail-Kind': message.kind },
  };
}

/** nodemailer, loaded with the first message sent: the bot starts (and answers) without it. */
function nodemailer(): typeof import('nodemailer') {
  return require('nodemailer') as typeof import('nodemailer');
}

export interface SmtpTransportOptions {
  /** Connection and greeting timeouts (ms). */
  timeoutMs?: number;
}

/** SMTP from a URL: smtp://user:pass@host:587 or smtps://host:465 (nodemailer's URL syntax). */
export class SmtpMailTransport implements MailTransport {
  readonly name = 'smtp' as const;
  private transporter: Transporter | undefined;
  private readonly settings: Parameters<typeof import('nodemailer').createTransport>[0];

  constructor(url: string, options: SmtpTransportOptions = {}) {
    const timeout = options.timeoutMs ?? 15_000;
    const parsed = new URL(url);
    // secure: smtps:// is implicit TLS; smtp:// upgrades with STARTTLS when the server offers it
    this.settings = {
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : parsed.protocol === 'smtps:' ? 465 : 587,
      secure: parsed.protocol === 'smtps:',
      ...(parsed.username ? { auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 2,
      ...(parsed.searchParams.get('tls') === 'insecure' ? { tls: { rejectUnauthorized: false } } : {}),
    };
  }

  async send(message: TransportMessage): Promise<SendResult> {
    this.transporter ??= nodemailer().createTransport(this.settings);
    const info = await this.transporter.sendMail(mailOptions(message));
    return { messageId: info.messageId };
  }

  close(): void {
    this.transporter?.close();
  }
}

const URL_RE = /https?:\/\/[^\s<>"')]+/g;

/** Writes each message as an RFC 822 `.eml` file and logs its links (development without SMTP). */
export class FileMailTransport implements MailTransport {
  readonly name = 'file' as const;
  private transporter: Transporter | undefined;

  constructor(
    readonly dir: string,
    private readonly log?: Logger,
    /** DEV_LOG_SECRETS: log the links whole. */
    private readonly showSecrets = false,
  ) {}

  async send(message: TransportMessage): Promise<SendResult> {
    this.transporter ??= nodemailer().createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const info = (await this.transporter.sendMail(mailOptions(message))) as { messageId: string; message: Buffer };
    await fs.promises.mkdir(this.dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = path.join(this.dir, `${stamp}-${message.kind.replace(/[^\w-]/g, '')}-${message.id}.eml`);
    // write then rename: a reader never sees half a message
    await fs.promises.writeFile(`${file}.tmp`, info.message, { mode: 0o600 });
    await fs.promises.rename(`${file}.tmp`, file);
    const links = [...new Set(message.text.match(URL_RE) ?? [])].map((l) => redactSecrets(l, { showSecrets: this.showSecrets }));
    this.log?.info({ to: maskEmail(message.to), kind: message.kind, file, links }, 'mail written to the outbox folder (no SMTP configured)');
    return { messageId: info.messageId, file };
  }

  close(): void {
    this.transporter?.close();
  }
}

/** SMTP when SMTP_URL is set, otherwise `.eml` files under DATA_DIR/outbox. */
export function createMailTransport(config: Pick<Config, 'SMTP_URL' | 'dataDir' | 'DEV_LOG_SECRETS'>, log: Logger): MailTransport {
  if (config.SMTP_URL) return new SmtpMailTransport(config.SMTP_URL);
  return new FileMailTransport(path.join(config.dataDir, 'outbox'), log, config.DEV_LOG_SECRETS);
}
