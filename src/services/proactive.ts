/**
 * Reaching a conversation outside a turn (a staff reply on a ticket). The adapters commit the message to the
 * channel outbox (src/services/outbound) and its worker delivers it. Each channel is served by the adapter
 * attached for it: the Bot Framework CloudAdapter ('*', every Bot Framework channel) continues the stored
 * conversation reference; a channel with an adapter of its own has it attached for its ids by
 * src/channels/index.ts (WhatsApp's enforces the Cloud API's 24-hour window, throwing when it cannot deliver so
 * the caller can fall back to e-mail).
 */
import type { ConversationReference, TurnContext } from 'botbuilder';
import { toActivity } from '../bot/reply';
import type { Lang } from '../knowledge/types';
import type { Metrics } from './metrics';
import type { ProactiveMessenger } from './ports';
import { OUTBOX_ORIGIN } from './outbound/queue';

/** The part of an adapter this messenger uses (CloudAdapter's signature). */
export interface ContinuingAdapter {
  continueConversationAsync(
    botAppId: string,
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void>;
}

export class ProactiveDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProactiveDeliveryError';
  }
}

export class AdapterProactiveMessenger implements ProactiveMessenger {
  private readonly adapters = new Map<string, ContinuingAdapter>();
  /** Channels whose adapter delivers at once (not through the channel outbox): their outcomes are counted here. */
  private readonly counted = new Set<string>();

  /**
   * @param botAppId the bot's MicrosoftAppId ('' when Bot Framework authentication is off).
   * @param metrics counts each message to a `counted` adapter as an outbound one, sent or failed.
   */
  constructor(
    private readonly botAppId = '',
    private readonly metrics?: Pick<Metrics, 'outbound'>,
  ) {}

  /**
   * Serves a channel ('*': any channel without an adapter of its own). `counted`: the adapter delivers at once
   * (not through the channel outbox, whose worker counts), so this messenger counts each message's outcome.
   */
  attach(channelId: string | '*', adapter: ContinuingAdapter, options: { counted?: boolean } = {}): this {
    this.adapters.set(channelId, adapter);
    if (options.counted) this.counted.add(channelId);
    else this.counted.delete(channelId);
    return this;
  }

  has(channelId: string | '*'): boolean {
    return this.adapters.has(channelId);
  }

  async send(reference: Partial<ConversationReference>, message: { text: string; lang: Lang; origin?: string }): Promise<void> {
    const channelId = reference.channelId ?? '';
    // an adapter attached as `counted` delivers here (the web chat's own Direct Line appends to its store);
    // the others commit to the channel outbox, whose worker's outcomes are counted (src/runtime.ts)
    const count = this.counted.has(channelId) ? this.metrics : undefined;
    try {
      await this.deliver(channelId, reference, message);
      count?.outbound(channelId, 'sent');
    } catch (err) {
      count?.outbound(channelId, 'failed', err instanceof ProactiveDeliveryError ? 'unreachable' : 'send_error');
      throw err;
    }
  }

  private async deliver(channelId: string, reference: Partial<ConversationReference>, message: { text: string; lang: Lang; origin?: string }): Promise<void> {
    if (!reference.conversation?.id) throw new ProactiveDeliveryError('the conversation reference has no conversation id');
    const adapter = this.adapters.get(channelId) ?? this.adapters.get('*');
    if (!adapter) throw new ProactiveDeliveryError(`no adapter reaches channel "${channelId}"`);
    // an error inside the logic would go to the adapter's onTurnError (which apologises and swallows it):
    // keep it here so the caller knows the message did not arrive and can fall back to e-mail
    let failure: unknown;
    let sent = false;
    await adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        // the channel's adapter commits the message to the outbox under this origin
        if (message.origin) context.turnState.set(OUTBOX_ORIGIN, message.origin);
        await context.sendActivity(toActivity({ text: message.text, lang: message.lang }));
        sent = true;
      } catch (err) {
        failure = err;
      }
    });
    if (failure !== undefined) throw failure instanceof Error ? failure : new ProactiveDeliveryError(String(failure));
    if (!sent) throw new ProactiveDeliveryError('the adapter did not run the conversation');
  }
}
