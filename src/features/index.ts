/**
 * The features of the product, built by the runtime in this order. Channel adapters that can reach a
 * customer outside a turn are attached to the proactive messenger here (the Bot Framework adapter attaches
 * itself for every other channel when the HTTP server starts).
 */
import { AdapterProactiveMessenger } from '../services/proactive';
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
import { createTeamsFeature } from './teams';
import type { Feature, FeatureDeps } from './types';
import { createWebChatFeature } from './webchat';
import { createWhatsAppFeature } from './whatsapp';

export type { Feature, FeatureDeps, HttpContext } from './types';

export function defaultFeatures(deps: FeatureDeps): Feature[] {
  const whatsapp = createWhatsAppFeature(deps);
  const webchat = createWebChatFeature(deps);
  if (deps.proactive instanceof AdapterProactiveMessenger) {
    deps.proactive.attach('whatsapp', whatsapp.adapter);
    deps.proactive.attach('webchat', webchat.adapter);
  }
  const tickets = createTicketService(deps);
  const handoff = createHandoffFeature(deps);
  return [
    createMailFeature(deps),
    createMigrationFeature(deps),
    createPlanSwitchFeature(deps),
    createTicketFeature(deps, tickets),
    handoff,
    createConsoleFeature(deps, { handoff: handoff.service, tickets }),
    whatsapp,
    webchat,
    createTeamsFeature(deps),
    createRetentionFeature(deps),
    // the insight pages: staff signed in to the console, or the admin bearer token (machine clients)
    createInsightFeature(deps, {
      authorize: anyOf(createSessionAuthorizer(createStaffService(deps)), adminTokenAuthorizer(deps.config.ADMIN_TOKEN)),
    }),
  ];
}
