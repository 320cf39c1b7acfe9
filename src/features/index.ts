/**
 * The features of the product, built by the runtime in this order. Channel adapters that can reach a
 * customer outside a turn are attached to the proactive messenger here (the Bot Framework adapter attaches
 * itself for every other channel when the HTTP server starts).
 */
import { AdapterProactiveMessenger } from '../services/proactive';
import { createMailFeature } from './mail';
import { createMigrationFeature } from './migration';
import { createPlanSwitchFeature } from './planswitch';
import { createRetentionFeature } from './retention';
import { createTeamsFeature } from './teams';
import { createTicketFeature } from './tickets';
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
  return [
    createMailFeature(deps),
    createMigrationFeature(deps),
    createPlanSwitchFeature(deps),
    createTicketFeature(deps),
    whatsapp,
    webchat,
    createTeamsFeature(deps),
    createRetentionFeature(deps),
  ];
}
