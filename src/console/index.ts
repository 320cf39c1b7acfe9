/**
 * The staff console at /console (server-rendered pages in Malay and English; see ./routes.ts for the list).
 *
 * Protecting another page with the console's sign-in — e.g. a supervisors' dashboard under /console/dashboard:
 *
 *   import { createStaffGuard } from '../console';
 *   const requireStaff = createStaffGuard(deps);           // deps: FeatureDeps (database, config, log, catalog)
 *   server.get('/console/dashboard', async (req, res) => {
 *     const staff = await requireStaff(req, res, ['supervisor', 'admin']);
 *     if (!staff) return;                                  // already answered: redirect to sign-in, 401 or 403
 *     // staff: { id, username, displayName, role }; staffSessionOf(req)!.csrf is the token for the page's forms
 *   });
 *
 * requireStaff(req, res, roles?) → Promise<StaffMember | null>. It reads the HttpOnly session cookie (Path
 * /console: pages must live under /console), checks the role when `roles` is given, and on anything but
 * GET/HEAD checks the CSRF token (`_csrf` form field, read by readBody({ accept: ['form'] }) before it, or the
 * X-CSRF-Token header). Sessions and accounts are in the database: any instance accepts any session.
 * Write the staff member's actions to the audit with StaffService.audit.
 */
import type { FeatureDeps } from '../features/types';
import { StaffService } from '../services/staff';
import { type RequireStaff, consoleRefusal, createRequireStaff } from './auth';

export { staffSessionOf, type RequireStaff } from './auth';
export { registerConsoleRoutes, type ConsoleDeps } from './routes';

export function createStaffService(deps: FeatureDeps): StaffService {
  return new StaffService({
    db: deps.db,
    log: deps.log.child({ component: 'staff' }),
    lockoutAttempts: deps.config.STAFF_LOCKOUT_ATTEMPTS,
    lockoutMinutes: deps.config.STAFF_LOCKOUT_MINUTES,
    sessionHours: deps.config.STAFF_SESSION_HOURS,
  });
}

/** requireStaff for pages outside this folder (see the comment at the top of this file). */
export function createStaffGuard(deps: FeatureDeps, staff: StaffService = createStaffService(deps)): RequireStaff {
  return createRequireStaff({ staff, refuse: consoleRefusal(deps.catalog) });
}
