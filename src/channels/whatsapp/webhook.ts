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
    .array(
      z.looseObject({
        wa_id: z.string().max(32).optional(),
        user_id: z.string().max(160).optional(),
        profile: z.looseObject({ name: z.string().max(256).optional() }).optional(),
      }),
    )
    .optional(),
  messages: z.array(z.unknown()).max(1000).optional(),
  statuses: z.array(z.unknown()).optional(),
});

/**
 * A business-scoped user id (BSUID): a username's sender whose number Meta withholds — two-letter country code,
 * a period, up to 128 letters and digits (a parent BSUID has ".ENT." in between). Replies address it in the
 * `recipient` field instead of `to`.
 */
export const BSUID = /^[A-Z]{2}(\.ENT)?\.[A-Za-z0-9]{1,128}$/;
/** A WhatsApp sender's address: the number (digits) or the BSUID. */
export const WA_ADDRESS = /^(\d{6,20}|[A-Z]{2}(\.ENT)?\.[A-Za-z0-9]{1,128})$/;

const captioned = z.looseObject({ caption: z.string().optional() }).optional();

const messageSchema = z.looseObject({
  from: z.string().regex(/^\d{6,20}$/).optional(),
  from_user_id: z.string().regex(BSUID).optional(),
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
  image: captioned,
  video: captioned,
  document: captioned,
});

const statusSchema = z.looseObject({
  id: z.string().min(1).max(256),
  status: z.string().max(32),
  biz_opaque_callback_data: z.string().max(512).optional(),
  errors: z
    .array(
      z.looseObject({
        code: z.union([z.number(), z.string()]).optional(),
        title: z.string().max(512).optional(),
        message: z.string().max(512).optional(),
        error_data: z.looseObject({ details: z.string().max(1024).optional() }).optional(),
      }),
    )
    .max(10)
    .optional(),
});

/** A delivery status callback: sent, delivered, read, or failed with Meta's error code. */
export interface StatusUpdate {
  /** Our message's id (wamid). */
  id: string;
  status: string;
  /** What we attached at sending (biz_opaque_callback_data): the outbox row. */
  callback?: string;
  errorCode?: number;
  reason?: string;
}

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
  /** The sender's address: their number (digits only), or their business-scoped user id when Meta withholds it. */
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
  /** Delivery/read status callbacks seen. */
  statuses: number;
  /** The status callbacks, read (at most 1000 per payload). */
  statusUpdates: StatusUpdate[];
  /** Entries or messages that did not have the expected shape (skipped). */
  malformed: number;
}

const IGNORED_TYPES = new Set(['reaction', 'system', 'ephemeral', 'errors']);

/** Reads a payload already parsed from JSON; throws when it is not a WhatsApp Business Account webhook at all. */
export function parseWebhook(body: unknown, now: number = Date.now()): ParsedWebhook {
  const payload = payloadSchema.parse(body);
  const out: ParsedWebhook = { messages: [], statuses: 0, statusUpdates: [], malformed: 0 };
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const value = valueSchema.safeParse(change.value);
      if (!value.success) {
        out.malformed++;
        continue;
      }
      out.statuses += value.data.statuses?.length ?? 0;
      for (const raw of (value.data.statuses ?? []).slice(0, 1000)) {
        const st = statusSchema.safeParse(raw);
        if (!st.success) {
          out.malformed++;
          continue;
        }
        const err = st.data.errors?.[0];
        const code = typeof err?.code === 'number' ? err.code : typeof err?.code === 'string' && /^\d+$/.test(err.code) ? Number(err.code) : undefined;
        const reason = [err?.title ?? err?.message, err?.error_data?.details].filter(Boolean).join(' — ');
        out.statusUpdates.push({
          id: st.data.id,
          status: st.data.status,
          ...(st.data.biz_opaque_callback_data ? { callback: st.data.biz_opaque_callback_data } : {}),
          ...(code !== undefined ? { errorCode: code } : {}),
          ...(reason ? { reason } : {}),
        });
      }
      const names = new Map<string | undefined, string | undefined>();
      for (const c of value.data.contacts ?? []) {
        if (c.wa_id) names.set(c.wa_id, c.profile?.name);
        if (c.user_id) names.set(c.user_id, c.profile?.name);
      }
      for (const raw of value.data.messages ?? []) {
        const parsed = messageSchema.safeParse(raw);
        if (!parsed.success) {
          out.malformed++;
          continue;
        }
        const m = parsed.data;
        // the number when Meta shares it, else the business-scoped user id (a username's sender)
        const from = m.from ?? m.from_user_id;
        if (!from) {
          out.malformed++;
          continue;
        }
        const sent = m.timestamp ? Number(m.timestamp) * 1000 : now;
        const item: InboundMessage = {
          id: m.id,
          from,
          name: names.get(from),
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
        } else if ((m.type === 'image' || m.type === 'video' || m.type === 'document') && m[m.type]?.caption?.trim()) {
          // the words written under a picture are a message the bot can read (the picture itself it cannot)
          item.kind = 'text';
          item.text = m[m.type]!.caption!;
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
