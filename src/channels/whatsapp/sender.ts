/**
 * WhatsApp's sender for the outbound worker (src/services/outbound): one outbox row is one Graph API message.
 * - The 24-hour customer-service window (from the customer's last message) open: the message goes as is, with
 *   the row's id as biz_opaque_callback_data (the status webhook echoes it, see adapter.onStatus).
 * - Closed, or Meta answered 131047: the approved template in the row's language carries the text (its one
 *   body variable, flattened and shortened to Meta's parameter limit); a row the template could not carry in
 *   full (longer text, buttons, a list) is then held and goes as is once the customer writes again. One
 *   template per closed window: rows behind it are held without another.
 * - Rate limits (130429 throughput, 131056 pair rate), 131000 and 5xx are retried by the worker with Meta's
 *   suggested wait; other codes fail the row with Meta's reason. The worker paces the sends to the number's
 *   throughput (perSecond), and a 130429 holds all of them, not only the refused row.
 */
import type { Lang } from '../../knowledge/types';
import type { DeliveryOutcome, OutboundRow, OutboundSender } from '../../services/outbound/queue';
import { type AttemptResult, type GraphClient, THROUGHPUT_CODE, addressFields } from './graph';
import { type WaMessage, templateParameter } from './render';
import type { WhatsAppStore } from './store';

export const WHATSAPP_OUTBOX_CHANNEL = 'whatsapp';
/** The customer-service window: free-form messages only within 24 hours of the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** One outbox row's payload. */
export interface WaPayload {
  /** The customer's address (number or business-scoped user id). */
  to: string;
  /** The Graph API message body without the address and messaging_product. */
  message: WaMessage;
  /** The message's words as plain text (what a template can carry). */
  text: string;
}

export interface WhatsAppSenderOptions {
  graph: GraphClient;
  store: WhatsAppStore;
  /** Template names per language ("name" or "name:language_code"); one body variable {{1}}. */
  templates: Partial<Record<Lang, string>>;
  now: () => number;
  /** The business number's throughput (WHATSAPP_MESSAGES_PER_SECOND): the worker paces the sends to it. */
  perSecond?: number;
}

export function windowOpen(lastInbound: number | undefined, now: number): boolean {
  return lastInbound !== undefined && now - lastInbound < SERVICE_WINDOW_MS;
}

const flat = (text: string) => text.replace(/[\r\n\t]+/g, ' ').replace(/\s+/g, ' ').trim();

export class WhatsAppSender implements OutboundSender {
  readonly channel = WHATSAPP_OUTBOX_CHANNEL;
  readonly perSecond: number | undefined;

  constructor(private readonly options: WhatsAppSenderOptions) {
    this.perSecond = options.perSecond;
  }

  async deliver(row: OutboundRow): Promise<DeliveryOutcome> {
    const payload = JSON.parse(row.payload) as WaPayload;
    const lang: Lang = row.lang === 'en' ? 'en' : 'ms';
    const window = await this.options.store.windowOf(payload.to);
    if (row.stage === 'template' || !windowOpen(window.lastInbound, this.options.now())) return this.viaTemplate(row, payload, lang, window);
    const result = await this.options.graph.attempt({ ...payload.message, ...addressFields(payload.to), biz_opaque_callback_data: `ob:${row.id}` });
    if (result.ok) return { kind: 'sent', ...(result.messageId ? { platformId: result.messageId } : {}) };
    if (result.verdict === 'window') return { kind: 'restage', stage: 'template', code: result.codeText, reason: result.reason };
    return failure(result);
  }

  private async viaTemplate(
    row: OutboundRow,
    payload: WaPayload,
    lang: Lang,
    window: { lastInbound?: number; templateSentAt?: number },
  ): Promise<DeliveryOutcome> {
    if (window.templateSentAt !== undefined && (window.lastInbound === undefined || window.templateSentAt >= window.lastInbound)) {
      return { kind: 'hold', code: '131047', reason: 'the 24-hour window is closed; the template already asked the customer to write' };
    }
    const configured = this.options.templates[lang];
    if (!configured) {
      return { kind: 'failed', code: '131047', reason: `the 24-hour window is closed and no template is configured for "${lang}" (WHATSAPP_TEMPLATE_${lang.toUpperCase()})` };
    }
    const [name, code] = configured.split(':');
    const text = flat(payload.text);
    const parameter = templateParameter(text || '-');
    const result = await this.options.graph.attempt({
      ...addressFields(payload.to),
      type: 'template',
      template: { name, language: { code: code || lang }, components: [{ type: 'body', parameters: [{ type: 'text', text: parameter }] }] },
      biz_opaque_callback_data: `ob:${row.id}:template`,
    });
    if (!result.ok) return result.verdict === 'window' ? { kind: 'failed', code: result.codeText, reason: result.reason } : failure(result);
    await this.options.store.markTemplateSent(payload.to);
    const carried = payload.message.type === 'text' && parameter === text;
    if (carried) return { kind: 'sent', ...(result.messageId ? { platformId: result.messageId } : {}) };
    return {
      kind: 'hold',
      code: 'template-sent',
      reason: 'the template carried part of this message; the whole goes once the customer writes again',
      ...(result.messageId ? { platformId: result.messageId } : {}),
    };
  }
}

function failure(result: Extract<AttemptResult, { ok: false }>): DeliveryOutcome {
  if (result.verdict === 'retry') {
    return {
      kind: 'retry',
      code: result.codeText,
      reason: result.reason,
      ...(result.retryAfterMs ? { retryAfterMs: result.retryAfterMs } : {}),
      // the number's throughput, not this customer's: every row of the number waits
      ...(result.codeText === String(THROUGHPUT_CODE) ? { channelLimit: true } : {}),
    };
  }
  return { kind: 'failed', code: result.codeText, reason: result.reason };
}
