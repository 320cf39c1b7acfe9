/** The staff console (src/console) as a feature: its routes, over the handoff, ticket and staff services. */
import { AttachmentStore } from '../channels/directline/uploads';
import { createStaffService, registerConsoleRoutes } from '../console';
import { clientAddress } from '../server/clientAddress';
import type { HandoffService } from '../services/handoff';
import type { TicketService } from '../services/tickets';
import type { Feature, FeatureDeps } from './types';

export function createConsoleFeature(deps: FeatureDeps, services: { handoff: HandoffService; tickets: TicketService }): Feature {
  const staff = createStaffService(deps);
  return {
    name: 'console',
    routes(http) {
      registerConsoleRoutes(http.server, {
        catalog: deps.catalog,
        staff,
        handoff: services.handoff,
        tickets: services.tickets,
        log: deps.log.child({ feature: 'console' }),
        publicUrl: deps.config.publicUrl,
        sessionHours: deps.config.STAFF_SESSION_HOURS,
        databaseAnswers: () => http.databaseAnswers(),
        attachments: new AttachmentStore(deps.db),
        signInLimit: {
          limiter: deps.rateLimiter,
          perAddress: deps.config.STAFF_SIGN_IN_PER_ADDRESS,
          windowSeconds: 900,
          address: (req) => clientAddress(req, deps.config),
        },
      });
    },
  };
}
