/**
 * The WhatsApp Cloud API as a channel (channel id "whatsapp"): its signed webhook and adapter (feature.ts,
 * adapter.ts, webhook.ts), replies rendered as WhatsApp messages by the adapter (render.ts: buttons, lists,
 * cards as text), sent through the channel outbox (sender.ts). WhatsApp shows no Adaptive Card: a reply is its
 * text. A staff reply reaches the customer through the adapter (which keeps to the 24-hour window), committed
 * to the outbox. Never accepted on /api/messages: only the signed webhook says who a WhatsApp sender is.
 */
import { textAlone } from '../render';
import type { Channel } from '../types';
import { WHATSAPP_CHANNEL } from './adapter';
import { createWhatsAppFeature } from './feature';

export const whatsapp: Channel = {
  name: 'whatsapp',
  ids: [WHATSAPP_CHANNEL],
  cards: false,
  feedback: false,
  render: (activity) => textAlone(activity),
  feature: createWhatsAppFeature,
  reach: 'adapter-outbox',
  viaConnector: false,
};
