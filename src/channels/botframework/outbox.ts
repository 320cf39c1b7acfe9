/**
 * Commits the Bot Framework adapter's outgoing messages to the channel outbox instead of posting them at once
 * (./sender.ts posts them). Replies that must come back in the HTTP response (deliveryMode expectReplies: the
 * Emulator, the tests, Direct Line ASE) and non-message activities (typing, delay, invoke responses, traces)
 * take the adapter's own path.
 */
import { type Activity, ActivityTypes, DeliveryModes, type ResourceResponse, TurnContext } from 'botbuilder';
import type { Lang } from '../../knowledge/types';
import { OUTBOX_ORIGIN, type OutboundItem, type OutboundQueue } from '../../services/outbound/queue';
import { CONNECTOR_OUTBOX_CHANNEL, type ConnectorPayload } from './sender';

const SEQUENCE = Symbol('connectorSequence');

/**
 * Splits `activities` into the ones queued (their responses filled with "ob:<id>") and the ones the adapter
 * sends itself; calls `direct` with the latter and merges the responses in order.
 */
export async function sendThroughOutbox(
  queue: OutboundQueue,
  context: TurnContext,
  activities: Partial<Activity>[],
  direct: (activities: Partial<Activity>[]) => Promise<ResourceResponse[]>,
): Promise<ResourceResponse[]> {
  if (context.activity.deliveryMode === DeliveryModes.ExpectReplies) return direct(activities);
  const responses: Array<ResourceResponse | undefined> = new Array(activities.length).fill(undefined);
  const items: OutboundItem[] = [];
  const slots: number[] = [];
  const passIdx: number[] = [];
  const pass: Partial<Activity>[] = [];
  // a proactive continuation is an event activity, without an id: no dedupe key for its messages
  const turnId = context.activity.type === ActivityTypes.Message ? context.activity.id : undefined;
  const origin = context.turnState.get(OUTBOX_ORIGIN) as string | undefined;
  activities.forEach((activity, i) => {
    const conversation = activity.conversation ?? context.activity.conversation;
    const serviceUrl = activity.serviceUrl ?? context.activity.serviceUrl;
    if (activity.type !== ActivityTypes.Message || !conversation?.id || !serviceUrl) {
      passIdx.push(i);
      pass.push(activity);
      return;
    }
    const reference = TurnContext.getConversationReference({ ...context.activity, conversation, serviceUrl, channelId: activity.channelId ?? context.activity.channelId } as Activity);
    const seq = ((context.turnState.get(SEQUENCE) as number | undefined) ?? 0) + 1;
    context.turnState.set(SEQUENCE, seq);
    const payload: ConnectorPayload = { reference, activity };
    items.push({
      channel: CONNECTOR_OUTBOX_CHANNEL,
      recipient: `${reference.channelId ?? ''}|${conversation.id}`,
      payload,
      lang: langOf(activity),
      ...(turnId ? { dedupeKey: `bf:${reference.channelId ?? ''}:${conversation.id}:${turnId}:${seq}`.slice(0, 200) } : {}),
      ...(origin ? { origin, dedupeKey: `${origin}:${seq}` } : {}),
    });
    slots.push(i);
  });
  if (items.length > 0) {
    const ids = await queue.enqueue(items);
    ids.forEach((id, k) => (responses[slots[k]!] = { id: `ob:${id}` }));
  }
  if (pass.length > 0) {
    const sent = await direct(pass);
    passIdx.forEach((i, k) => (responses[i] = sent[k] ?? { id: '' }));
  }
  return responses.map((r) => r ?? { id: '' });
}

function langOf(activity: Partial<Activity>): Lang {
  return activity.locale?.toLowerCase().startsWith('en') ? 'en' : 'ms';
}
