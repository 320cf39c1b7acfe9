/**
 * The WhatsApp Cloud API webhook, as data: the verification handshake, the X-Hub-Signature-256 check and the
 * payload read into inbound messages. Nothing here sends or stores anything.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** HMAC-SHA256 of the raw body with the app secret, compared in constant time. */
export function verifySignature(raw: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header || !appSecret) return false;
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!m) return false;
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  const given = Buffer.from(m[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The signature header a sender with the app secret computes (tests, local tools). */
export function signBody(raw: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}

/** Constant-time string equality (hashes first, so lengths do not leak). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export type HandshakeResult = { status: 200; challenge: string } | { status: 400 | 403; reason: string };

/** GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=... */
export function handshake(params: URLSearchParams, verifyToken: string | undefined): HandshakeResult {
  if (!verifyToken) return { status: 403, reason: 'WHATSAPP_VERIFY_TOKEN is not configured' };
  const mode = params.get('hub.mode');
  const token = params.get('hub.verify_token') ?? '';
  const challenge = params.get('hub.challenge') ?? '';
  if (mode !== 'subscribe' || !safeEqual(token, verifyToken)) return { status: 403, reason: 'wrong mode or verify token' };
  // echoed back as the body: only the characters Meta uses
  if (!/^[A-Za-z0-9_.-]{1,256}$/.test(challenge)) return { status: 400, reason: 'missing or malformed hub.challenge' };
  return { status: 200, challenge };
}

const payloadSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z
    .array(
      z.looseObject({
        id: z.string().optional(),
        changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })).max(100),
      }),
    )
    .max(100),
});

const valueSchema = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string().max(64) }).optional(),
  contacts: z
    .array(z.looseObject({ wa_id: z.string().max(32).optional(), profile: z.looseObject({ name: z.string().max(256).optional() }).optional() }))
    .optional(),
  messages: z.array(z.unknown()).max(1000).optional(),
  statuses: z.array(z.unknown()).optional(),
});

const messageSchema = z.looseObject({
  from: z.string().regex(/^\d{6,20}$/),
  id: z.string().min(1).max(256),
  timestamp: z.string().regex(/^\d{1,12}$/).optional(),
  type: z.string().min(1).max(64),
  text: z.looseObject({ body: z.string() }).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string().max(256), title: z.string().max(256) }).optional(),
      list_reply: z.looseObject({ id: z.string().max(256), title: z.string().max(256), description: z.string().optional() }).optional(),
    })
    .optional(),
  button: z.looseObject({ payload: z.string().optional(), text: z.string().optional() }).optional(),
});

export type InboundKind =
  /** Typed text. */
  | 'text'
  /** A reply button or list row pressed: `choiceId` and `title`. */
  | 'choice'
  /** A template's quick-reply button: its text. */
  | 'templateButton'
  /** The customer opened the chat for the first time (request_welcome). */
  | 'welcome'
  /** Anything the bot cannot read (image, sticker, location, audio, ...). */
  | 'unreadable'
  /** Nothing to answer (a reaction, a system notice). */
  | 'ignored';

export interface InboundMessage {
  id: string;
  /** The sender's WhatsApp id (their number, digits only). */
  from: string;
  name?: string;
  /** When the customer sent it (ms since epoch). */
  at: number;
  type: string;
  kind: InboundKind;
  text?: string;
  choiceId?: string;
  title?: string;
  /** The business number it was sent to. */
  phoneNumberId?: string;
}

export interface ParsedWebhook {
  messages: InboundMessage[];
  /** Delivery/read status callbacks seen (ignored). */
  statuses: number;
  /** Entries or messages that did not have the expected shape (skipped). */
  malformed: number;
}

const IGNORED_TYPES = new Set(['reaction', 'system', 'ephemeral', 'errors']);

/** Reads a payload already parsed from JSON; throws when it is not a WhatsApp Business Account webhook at all. */
export function parseWebhook(body: unknown, now: number = Date.now()): ParsedWebhook {
  const payload = payloadSchema.parse(body);
  const out: ParsedWebhook = { messages: [], statuses: 0, malformed: 0 };
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const value = valueSchema.safeParse(change.value);
      if (!value.success) {
        out.malformed++;
        continue;
      }
      out.statuses += value.data.statuses?.length ?? 0;
      const names = new Map((value.data.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
      for (const raw of value.data.messages ?? []) {
        const parsed = messageSchema.safeParse(raw);
        if (!parsed.success) {
          out.malformed++;
          continue;
        }
        const m = parsed.data;
        const sent = m.timestamp ? Number(m.timestamp) * 1000 : now;
        const item: InboundMessage = {
          id: m.id,
          from: m.from,
          name: names.get(m.from),
          at: Math.min(sent, now),
          type: m.type,
          kind: 'unreadable',
          phoneNumberId: value.data.metadata?.phone_number_id,
        };
        if (m.type === 'text' && m.text) {
          item.kind = 'text';
          item.text = m.text.body;
        } else if (m.type === 'interactive' && m.interactive?.button_reply) {
          item.kind = 'choice';
          item.choiceId = m.interactive.button_reply.id;
          item.title = m.interactive.button_reply.title;
        } else if (m.type === 'interactive' && m.interactive?.list_reply) {
          item.kind = 'choice';
          item.choiceId = m.interactive.list_reply.id;
          item.title = m.interactive.list_reply.title;
        } else if (m.type === 'button' && (m.button?.text || m.button?.payload)) {
          item.kind = 'templateButton';
          item.text = m.button.text || m.button.payload;
        } else if (m.type === 'request_welcome') {
          item.kind = 'welcome';
        } else if (IGNORED_TYPES.has(m.type)) {
          item.kind = 'ignored';
        }
        out.messages.push(item);
      }
    }
  }
  return out;
}
