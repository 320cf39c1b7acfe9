/**
 * The procedure registry: every procedure the bot can run, one line each. What knows the procedures derives
 * from it: PROCEDURE_IDS (the ids knowledge entries may name in `procedure.dialog`: the knowledge loader is
 * given them and reports any other id as `dangling-procedure`), the main menu (`menu: true`), and the dialogs
 * the router starts (the runtime builds them with `assembleProcedures`, which refuses a dialog whose id is
 * not registered here).
 *
 * A procedure that needs only what every feature gets (the catalog, the knowledge, the lexicon, a clock, the
 * log) is built here by its `create`, loaded lazily (`import()`), so that this list costs nothing to import
 * (the knowledge loader and kb:check read it without loading botbuilder-dialogs). A procedure that needs a
 * feature's own services (one-time codes, the ticket store, the legacy accounts) is built by that feature
 * (`Feature.dialogs`, src/features/*.ts); its line names the feature.
 *
 * Nothing here is mutable: a deployment or a test that runs another set of procedures passes its own list to
 * the runtime (`RuntimeOptions.procedures`) and to the knowledge loader (`procedures` option).
 */
import type { Dialog } from 'botbuilder-dialogs';
import type { CalendarDate } from '../src/domain/dates';
import type { FeatureDeps } from '../src/features/types';

/** What a registry-built procedure gets: every feature's dependencies and today's date in Kuala Lumpur. */
export interface ProcedureDeps extends FeatureDeps {
  today: () => CalendarDate;
}

export interface ProcedureRegistration {
  /** The dialog's id, also `procedure.dialog` in knowledge entries, `button.start.<id>` in the catalog. */
  readonly id: string;
  /** A main-menu button: `menu.<id>` (its title) sends `menu.<id>.question` (both in the catalog). */
  readonly menu?: boolean;
  /** Builds the dialog from the shared dependencies (procedures without services of their own). */
  readonly create?: (deps: ProcedureDeps) => Promise<Dialog>;
  /** Otherwise: the feature (its `name`) whose `dialogs` hold it. */
  readonly feature?: string;
}

/** The procedures of the product. */
export const PROCEDURES: readonly ProcedureRegistration[] = [
  { id: 'migration', feature: 'migration' },
  { id: 'eligibility', feature: 'planswitch' },
  { id: 'prorata', feature: 'planswitch' },
  { id: 'ticket', feature: 'tickets', menu: true },
  { id: 'ticketStatus', feature: 'tickets' },
  { id: 'myTickets', feature: 'tickets' },
];

/** The ids of the product's procedures, in the registry's order. */
export const PROCEDURE_IDS: readonly string[] = PROCEDURES.map((p) => p.id);

/** The ids of a registry, for the knowledge loader (`procedures` option). */
export function procedureIds(registry: readonly ProcedureRegistration[]): string[] {
  return registry.map((p) => p.id);
}

export class ProcedureRegistryError extends Error {
  constructor(message: string) {
    super(`${message} (the procedure registry: dialogs/registry.ts)`);
    this.name = 'ProcedureRegistryError';
  }
}

/**
 * The dialogs of a registry: the ones built by features (already built, passed in) and the ones the registry
 * builds. Throws on a registry line without `create` or `feature`, an id registered twice, a feature's dialog
 * whose id is not registered, or two dialogs with one id. A registered procedure whose feature is not built in
 * this deployment (or test) is simply absent: the knowledge may still name it (the router then says it is
 * unavailable).
 */
export async function assembleProcedures(registry: readonly ProcedureRegistration[], fromFeatures: readonly Dialog[], deps: ProcedureDeps): Promise<Dialog[]> {
  const ids = new Set<string>();
  for (const p of registry) {
    if (ids.has(p.id)) throw new ProcedureRegistryError(`procedure "${p.id}" is registered twice`);
    if (!p.create && !p.feature) throw new ProcedureRegistryError(`procedure "${p.id}" has neither create nor feature`);
    ids.add(p.id);
  }
  const dialogs: Dialog[] = [];
  const built = new Set<string>();
  const add = (dialog: Dialog, by: string) => {
    if (!ids.has(dialog.id)) throw new ProcedureRegistryError(`dialog "${dialog.id}" (from ${by}) is not a registered procedure`);
    if (built.has(dialog.id)) throw new ProcedureRegistryError(`procedure "${dialog.id}" is built twice (again by ${by})`);
    built.add(dialog.id);
    dialogs.push(dialog);
  };
  for (const dialog of fromFeatures) add(dialog, 'a feature');
  for (const p of registry) {
    if (!p.create) continue;
    const dialog = await p.create(deps);
    if (dialog.id !== p.id) throw new ProcedureRegistryError(`the create of "${p.id}" built a dialog with id "${dialog.id}"`);
    add(dialog, 'the registry');
  }
  return dialogs;
}
