/**
 * The procedure registry (dialogs/registry.ts): the one list the loader's dangling-procedure check, the menu and
 * the router's procedures derive from. assembleProcedures refuses what would make them disagree.
 */
import path from 'node:path';
import { WaterfallDialog } from 'botbuilder-dialogs';
import { readKnowledge } from '../../src/knowledge';
import { PROCEDURES, PROCEDURE_IDS, type ProcedureDeps, type ProcedureRegistration, assembleProcedures } from '../../dialogs/registry';

const stub = (id: string) => new WaterfallDialog(id, [async (step) => step.endDialog()]);
const deps = {} as ProcedureDeps;

describe('the procedure registry', () => {
  it("keeps today's six procedures, in order", () => {
    expect(PROCEDURE_IDS).toEqual(['migration', 'eligibility', 'prorata', 'ticket', 'ticketStatus', 'myTickets']);
    expect(PROCEDURES.filter((p) => p.menu).map((p) => p.id)).toEqual(['ticket']);
  });

  it("assembles the features' dialogs and builds the registry's own", async () => {
    const registry: ProcedureRegistration[] = [{ id: 'a', feature: 'f' }, { id: 'b', create: async () => stub('b') }];
    expect((await assembleProcedures(registry, [stub('a')], deps)).map((d) => d.id)).toEqual(['a', 'b']);
  });

  it('refuses a dialog whose id is not registered, one built twice, an id registered twice, a line that builds nothing', async () => {
    await expect(assembleProcedures([{ id: 'a', feature: 'f' }], [stub('x')], deps)).rejects.toThrow(/dialog "x" .*not a registered procedure/);
    await expect(assembleProcedures([{ id: 'a', feature: 'f' }], [stub('a'), stub('a')], deps)).rejects.toThrow(/built twice/);
    await expect(assembleProcedures([{ id: 'a', feature: 'f' }, { id: 'a', feature: 'g' }], [], deps)).rejects.toThrow(/registered twice/);
    await expect(assembleProcedures([{ id: 'a' }], [], deps)).rejects.toThrow(/neither create nor feature/);
    await expect(assembleProcedures([{ id: 'a', create: async () => stub('b') }], [], deps)).rejects.toThrow(/built a dialog with id "b"/);
  });

  it('the knowledge loader checks procedure ids against the list it is given', () => {
    const dir = path.join(__dirname, '..', '..', 'knowledge');
    const dangling = (procedures?: string[]) => readKnowledge(dir, procedures ? { procedures } : {}).findings.filter((f) => f.code === 'dangling-procedure');
    expect(dangling()).toEqual([]);
    // without the ticket procedures registered, the entries that start them are dangling
    const without = dangling(PROCEDURE_IDS.filter((id) => !id.startsWith('ticket')));
    expect(without.length).toBeGreaterThanOrEqual(2);
    expect(without.every((f) => /"ticket(Status)?"/.test(f.message))).toBe(true);
  });
});
