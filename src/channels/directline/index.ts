/**
 * The web chat as a channel (channel id "webchat"): the chat page and the bot's own Direct Line 3.0
 * (feature.ts, server.ts, stream.ts, adapter.ts), with file uploads (uploads.ts). Web Chat shows Adaptive
 * Cards. A staff reply is appended to the conversation at once by its adapter (conversations of Web Chat
 * behind Azure Bot Service, also "webchat", go on to the connector's adapter). /api/messages takes "webchat"
 * too: that is Web Chat through Azure Bot Service.
 */
import { cardAlone } from '../render';
import type { Channel } from '../types';
import { WEBCHAT_CHANNEL_ID } from './adapter';
import { createWebChatFeature } from './feature';

export const directline: Channel = {
  name: 'directline',
  ids: [WEBCHAT_CHANNEL_ID],
  cards: true,
  feedback: true,
  render: cardAlone,
  feature: createWebChatFeature,
  reach: 'adapter',
  viaConnector: true,
  uploads: true,
};
