/**
 * The Bot Framework connector (Azure Bot Service: Teams, Azure web chat, other Azure channels) through the
 * channel outbox. Turn replies and proactive messages on CloudAdapter are committed as rows (the adapter's
 * sendActivities, ./outbox.ts) and sent here, one request per row, by the outbound worker:
 *   POST {serviceUrl}/v3/conversations/{conversationId}/activities[/{replyToId}]
 * The connector's documented answers (https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#http-status-codes)
 * decide: 429 Too Many Requests (Teams asks for backoff: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit)
 * and 5xx (500, 502, 503, 504) or no answer are retried, honouring Retry-After; 400, 401, 403, 404 and the
 * other 4xx are final and recorded with the connector's message.
 */
import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { DeliveryOutcome, OutboundRow, OutboundSender } from '../../services/outbound/queue';
import { parseRetryAfter } from '../whatsapp/graph';

export const CONNECTOR_OUTBOX_CHANNEL = 'botframework';

export interface ConnectorPayload {
  reference: Partial<ConversationReference>;
  activity: Partial<Activity>;
}

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { headers?: { get?(name: string): string | undefined | null }; bodyAsText?: string | null };
}

/** Statuses worth another attempt (the rest of the 4xx are the request's own fault). */
export function connectorRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

export function classifyConnectorError(err: unknown): DeliveryOutcome {
  const e = (err ?? {}) as RestErrorLike;
  const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
  const body = e.response?.bodyAsText ?? '';
  let detail = '';
  try {
    const parsed = body ? (JSON.parse(body) as { error?: { code?: string; message?: string }; message?: string }) : undefined;
    detail = [parsed?.error?.code, parsed?.error?.message ?? parsed?.message].filter(Boolean).join(': ');
  } catch {
    detail = '';
  }
  const reason = `connector ${status || 'unreachable'}${detail ? ` (${detail})` : e.message ? ` (${e.message})` : ''}`.slice(0, 480);
  if (status === 0) return { kind: 'retry', code: e.code ? String(e.code).slice(0, 32) : 'network', reason };
  if (connectorRetryable(status)) {
    const retryAfterMs = parseRetryAfter(e.response?.headers?.get?.('retry-after') ?? null);
    return { kind: 'retry', code: `http-${status}`, reason, ...(retryAfterMs ? { retryAfterMs } : {}) };
  }
  return { kind: 'failed', code: `http-${status}`, reason };
}

export class ConnectorSender implements OutboundSender {
  readonly channel = CONNECTOR_OUTBOX_CHANNEL;

  /** @param botAppId the bot's MicrosoftAppId ('' when Bot Framework authentication is off). */
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  async deliver(row: OutboundRow): Promise<DeliveryOutcome> {
    const { reference, activity } = JSON.parse(row.payload) as ConnectorPayload;
    const conversationId = reference.conversation?.id;
    if (!conversationId || !reference.serviceUrl) return { kind: 'failed', code: 'no-reference', reason: 'the row has no conversation or service URL' };
    let outcome: DeliveryOutcome | undefined;
    try {
      // continueConversationAsync gives the connector client with the right credentials for this serviceUrl;
      // the request itself is made here so that its failure comes back as an outcome, not to onTurnError
      await this.adapter.continueConversationAsync(this.botAppId, reference, async (context: TurnContext) => {
        const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
        if (!client) {
          outcome = { kind: 'retry', code: 'no-client', reason: 'no connector client for this conversation' };
          return;
        }
        const outgoing = { ...activity, conversation: reference.conversation, serviceUrl: reference.serviceUrl, channelId: reference.channelId } as Activity;
        try {
          const res = outgoing.replyToId
            ? await client.conversations.replyToActivity(conversationId, outgoing.replyToId, outgoing)
            : await client.conversations.sendToConversation(conversationId, outgoing);
          outcome = { kind: 'sent', ...(res?.id ? { platformId: res.id } : {}) };
        } catch (err) {
          outcome = classifyConnectorError(err);
        }
      });
    } catch (err) {
      // no token (the login endpoint away), no connector client: not the message's fault
      return { kind: 'retry', code: 'connector-auth', reason: String((err as Error)?.message ?? err).slice(0, 480) };
    }
    return outcome ?? { kind: 'retry', code: 'not-run', reason: 'the adapter did not run the conversation' };
  }
}
