/**
 * The Bot Framework connector as a channel: /api/messages (src/server/index.ts) with its BotFrameworkAdapter,
 * replies through the channel outbox (outbox.ts, sender.ts), rendered by render.ts. It serves the ids it names
 * and every channel id no other folder names; it reaches those customers outside a turn by continuing the
 * stored conversation reference (the adapter is attached to the proactive messenger for '*').
 */
import type { Channel } from '../types';
import { CONNECTOR_CARD_CHANNELS, CONNECTOR_LOCAL_CHANNELS, renderForConnector } from './render';

export const botframework: Channel = {
  name: 'botframework',
  ids: CONNECTOR_CARD_CHANNELS,
  catchAll: true,
  cards: true,
  feedback: true,
  render: renderForConnector,
  reach: 'connector',
  viaConnector: true,
  localIds: CONNECTOR_LOCAL_CHANNELS,
};
