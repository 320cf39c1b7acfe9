/**
 * Microsoft Teams as a channel (channel id "msteams"), reached through the Bot Framework connector:
 * its middleware on the connector's adapter (middleware.ts: mentions, the install welcome, at most 3
 * suggested actions, choices inside the card) and its privacy and terms pages (feature.ts). Teams shows
 * Adaptive Cards. A staff reply reaches it through the connector's adapter.
 */
import { cardAlone } from '../render';
import type { Channel } from '../types';
import { createTeamsFeature } from './feature';
import { TEAMS_CHANNEL, createTeamsMiddleware } from './middleware';

export * from './middleware';
export { createTeamsFeature, legalPage } from './feature';

export const teams: Channel = {
  name: 'teams',
  ids: [TEAMS_CHANNEL],
  cards: true,
  feedback: true,
  render: cardAlone,
  feature: createTeamsFeature,
  reach: 'connector',
  viaConnector: true,
  connectorMiddleware: ({ log, catalog }) => createTeamsMiddleware({ log, catalog }),
};
