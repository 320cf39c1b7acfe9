/**
 * The features of the product, built by the runtime in this order. The channels' features come from the
 * channel registry (src/channels/index.ts), which also attaches the channel adapters that reach a customer
 * outside a turn to the proactive messenger (the Bot Framework adapter is attached for every other channel
 * when the HTTP server starts).
 */
import { channelFeatures } from '../channels';
import { createMailFeature } from './mail';
import { createInsightFeature } from './insight';
import { createMigrationFeature } from './migration';
import { createPlanSwitchFeature } from './planswitch';
import { createRetentionFeature } from './retention';
import { createTicketFeature, createTicketService } from './tickets';
import { createHandoffFeature } from './handoff';
import { createConsoleFeature } from './console';
import { createSessionAuthorizer } from '../console/auth';
import { createStaffService } from '../console';
import { adminTokenAuthorizer } from './insight';
import { anyOf } from '../console/insight/routes';
import type { Feature, FeatureDeps } from './types';

export type { Feature, FeatureDeps, HttpContext } from './types';

export function defaultFeatures(deps: FeatureDeps): Feature[] {
  const channels = channelFeatures(deps);
  const tickets = createTicketService(deps);
  const handoff = createHandoffFeature(deps);
  return [
    createMailFeature(deps),
    createMigrationFeature(deps),
    createPlanSwitchFeature(deps),
    createTicketFeature(deps, tickets),
    handoff,
    createConsoleFeature(deps, { handoff: handoff.service, tickets }),
    ...channels,
    createRetentionFeature(deps),
    // the insight pages: staff signed in to the console, or the admin bearer token (machine clients)
    createInsightFeature(deps, {
      authorize: anyOf(createSessionAuthorizer(createStaffService(deps)), adminTokenAuthorizer(deps.config.ADMIN_TOKEN)),
    }),
  ];
}
