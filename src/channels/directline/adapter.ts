/**
 * The BotAdapter of the bot's own Direct Line connection (channel "webchat"): a turn's replies are appended
 * to the conversation's activity store, where the conversation's stream (or a polling client) picks them up.
 * Typing activities are not stored: Direct Line gives them by WebSocket only, so they go to the
 * conversation's stream if it is open in this process (`typing`). Also reaches a conversation outside a turn
 * (continueConversationAsync), which is how a staff reply to a ticket arrives, from any process.
 */
import {
  type Activity,
  ActivityTypes,
  BotAdapter,
  type ConversationReference,
  type ResourceResponse,
  TurnContext,
} from 'botbuilder';
import type { DirectLineStore } from './store';

export const WEBCHAT_CHANNEL_ID = 'webchat';

export interface DirectLineAdapterOptions {
  /** The bot's id and display name on this channel. */
  botId: string;
  botName: string;
  /** The base URL of this Direct Line (goes into activities' serviceUrl). */
  serviceUrl: string;
  /** Upper bound of a `delay` activity, in milliseconds. */
  maxDelayMs?: number;
  /**
   * How long a conversation lives (DIRECT_LINE_CONVERSATION_MAX_HOURS): past it the customer's page can no
   * longer refresh its token or read it, so a message outside a turn is refused (the caller falls back to e-mail).
   */
  conversationMaxMs?: number;
}

/** Where typing activities go (the stream of this process); false when the conversation has no stream here. */
export type TypingSink = (conversationId: string, activity: Partial<Activity>) => boolean;

type Logic = (context: TurnContext) => Promise<void>;

/** An adapter that continues conversations it does not hold (CloudAdapter: Web Chat through Azure is "webchat" too). */
export interface FallbackAdapter {
  continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: Logic): Promise<void>;
}

export class DirectLineAdapter extends BotAdapter {
  /**
   * Continues the "webchat" conversations that are not this connection's: Web Chat on a website behind Azure
   * Bot Service has channel id "webchat" too, and is reached through the Bot Framework adapter.
   */
  fallback?: FallbackAdapter;
  /** Sends typing activities on the conversation's open stream (without it, typing is dropped). */
  typing?: TypingSink;

  constructor(
    private readonly store: DirectLineStore,
    readonly options: DirectLineAdapterOptions,
  ) {
    super();
  }

  /** The bot as the sender of its replies. */
  get bot(): { id: string; name: string; role: 'bot' } {
    return { id: this.options.botId, name: this.options.botName, role: 'bot' };
  }

  /** Runs the bot's logic for an incoming activity (already stored in the conversation by the caller). */
  async processActivity(activity: Partial<Activity>, logic: Logic): Promise<void> {
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, logic);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay') {
        const ms = Math.min(Math.max(Number(activity.value) || 0, 0), this.options.maxDelayMs ?? 5000);
        await new Promise((resolve) => setTimeout(resolve, ms));
        responses.push({ id: '' });
        continue;
      }
      // invoke responses belong to the HTTP response of an invoke; traces are for the Emulator only
      if (activity.type === ActivityTypes.InvokeResponse || activity.type === ActivityTypes.Trace) {
        responses.push({ id: '' });
        continue;
      }
      const conversationId = activity.conversation?.id ?? context.activity.conversation?.id;
      if (!conversationId) throw new Error('Direct Line: an activity without a conversation cannot be sent');
      if (activity.type === ActivityTypes.Typing) {
        this.typing?.(conversationId, { type: ActivityTypes.Typing, from: this.bot, conversation: { id: conversationId } as Activity['conversation'], channelId: WEBCHAT_CHANNEL_ID });
        responses.push({ id: '' });
        continue;
      }
      const outgoing: Partial<Activity> = {
        ...activity,
        channelId: WEBCHAT_CHANNEL_ID,
        serviceUrl: this.options.serviceUrl,
        conversation: { ...(activity.conversation ?? context.activity.conversation), id: conversationId },
        from: this.bot,
        recipient: activity.recipient ? { ...activity.recipient, role: 'user' } : undefined,
        timestamp: undefined,
      };
      delete outgoing.id;
      responses.push({ id: await this.store.append(conversationId, outgoing) });
    }
    return responses;
  }

  async updateActivity(_context: TurnContext, _activity: Partial<Activity>): Promise<void> {
    throw new Error('Direct Line (webchat): updating a sent activity is not supported');
  }

  async deleteActivity(_context: TurnContext, _reference: Partial<ConversationReference>): Promise<void> {
    throw new Error('Direct Line (webchat): deleting a sent activity is not supported');
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: Logic): Promise<void> {
    const request = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continueConversation', channelId: WEBCHAT_CHANNEL_ID },
      { ...reference, channelId: WEBCHAT_CHANNEL_ID, serviceUrl: reference.serviceUrl ?? this.options.serviceUrl },
      true,
    );
    const context = new TurnContext(this, request);
    await this.runMiddleware(context, logic);
  }

  /**
   * The proactive entry point of BotAdapter: (botAppId | claimsIdentity, reference, [audience,] logic).
   * A conversation of this connection is continued here (no identity check: the connection is the bot's
   * own); any other goes to the fallback adapter with the same arguments.
   */
  override async continueConversationAsync(...args: unknown[]): Promise<void> {
    const reference = args[1] as Partial<ConversationReference>;
    const logic = args[args.length - 1] as Logic;
    if (!reference?.conversation?.id || typeof logic !== 'function') throw new Error('continueConversationAsync needs a conversation reference and a callback');
    const conversation = await this.store.getConversation(reference.conversation.id);
    if (!conversation) {
      if (!this.fallback) throw new Error('Direct Line (webchat): no such conversation');
      await (this.fallback.continueConversationAsync as (...a: unknown[]) => Promise<void>)(...args);
      return;
    }
    if (this.options.conversationMaxMs !== undefined && Date.now() - conversation.createdAt >= this.options.conversationMaxMs) {
      throw new Error('Direct Line (webchat): the conversation has ended (past its lifetime); the customer cannot see it');
    }
    await this.continueConversation(reference, logic);
  }
}
