/** The real knowledge dir: ids, languages, paraphrases, seed questions, incomplete entries, packs. */
import * as fs from 'fs';
import * as path from 'path';
import { KnowledgeError, lintKnowledge, loadKnowledge, parsePackList, readKnowledge } from '../../src/knowledge';
import { STORY_KINDS, STORY_MIN } from '../../src/knowledge/schema';
import type { KnowledgeBase } from '../../src/knowledge';
import { FIXTURES, REAL_KB } from './helpers';

const EBIZ_IDS = [
  'ebiz.upgrade-account', 'ebiz.login-old-user-id', 'ebiz.old-email-invalid', 'ebiz.counter-registration-documents',
  'ebiz.regular-vs-main-user', 'ebiz.representative-upgrade', 'ebiz.change-representative', 'ebiz.remit',
  'ebiz.runner-purchase', 'ebiz.prepaid-topup-counter', 'ebiz.restricted-data-online', 'ebiz.chi-square-inconsistent',
  'ebiz.chi-square-upper-bound', 'ebiz.digital-licence-products', 'ebiz.product-types', 'ebiz.digital-licence-services',
];
const PLANSWITCH_IDS = [
  'planswitch.conditions-postpaid-postpaid', 'planswitch.conditions-postpaid-prepaid', 'planswitch.conditions-prepaid-prepaid',
  'planswitch.conditions-prepaid-postpaid', 'planswitch.where-to-switch', 'planswitch.forfeited-items', 'planswitch.roam-monthly',
  'planswitch.new-postpaid-benefits', 'planswitch.credit-limit', 'planswitch.prepaid-credit-carryover', 'planswitch.contract-penalty',
  'planswitch.old-plan-unavailable', 'planswitch.switch-limit-per-month', 'planswitch.prorata-formula',
  'planswitch.check-eligibility', 'planswitch.prorata-calculator',
];
const CORE_IDS = ['core.contact-customer-service', 'core.ticket-status', 'core.my-tickets'];

/** The brief's procedure table: id -> [dialog, mode]. */
const PROCEDURES: Record<string, [string, string]> = {
  'ebiz.login-old-user-id': ['migration', 'after'],
  'ebiz.old-email-invalid': ['ticket', 'offer'],
  'ebiz.change-representative': ['ticket', 'offer'],
  'planswitch.conditions-postpaid-postpaid': ['eligibility', 'offer'],
  'planswitch.conditions-postpaid-prepaid': ['eligibility', 'offer'],
  'planswitch.conditions-prepaid-prepaid': ['eligibility', 'offer'],
  'planswitch.conditions-prepaid-postpaid': ['eligibility', 'offer'],
  'planswitch.prorata-formula': ['prorata', 'offer'],
  'planswitch.check-eligibility': ['eligibility', 'instead'],
  'planswitch.prorata-calculator': ['prorata', 'instead'],
  'core.contact-customer-service': ['ticket', 'instead'],
  'core.ticket-status': ['ticketStatus', 'instead'],
  'core.my-tickets': ['myTickets', 'instead'],
};

/** The questions of the eBiz FAQ seed: its lines ending in "?", a glued line split in two, and the two headings without "?". */
function seedQuestions(): string[] {
  const text = fs.readFileSync(path.join(FIXTURES, 'ebiz-faq-seed.txt'), 'utf8');
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const out: string[] = [];
  for (const line of lines) {
    if (!line.endsWith('?') || line === 'Bagaimana boleh kami membantu anda ?') continue;
    // "Bolehkah ...? Apakah ...?" is two questions glued together.
    out.push(...line.split(/(?<=\?)\s+(?=[A-Z])/));
  }
  for (const heading of ['Mengapakah fix points berada dalam had selisih NDCDB tetapi keputusan ujian chi square upper bound', 'Jenis Produk']) {
    expect(lines).toContain(heading);
    out.push(heading);
  }
  return [...new Set(out)];
}

let kb: KnowledgeBase;
beforeAll(() => {
  kb = loadKnowledge(REAL_KB);
});

describe('the real knowledge base', () => {
  it('the seed fixture is the shared seed, byte for byte (when the shared folder is there)', () => {
    const shared = path.resolve(REAL_KB, '..', '..', 'shared', 'seeds', '000_d895a84849251562.txt');
    if (fs.existsSync(shared)) expect(fs.readFileSync(path.join(FIXTURES, 'ebiz-faq-seed.txt'), 'utf8')).toBe(fs.readFileSync(shared, 'utf8'));
  });

  it('has exactly the fixed ids, in the right packs', () => {
    const ids = kb.entries.map((e) => e.id).sort();
    expect(ids).toEqual([...EBIZ_IDS, ...PLANSWITCH_IDS, ...CORE_IDS].sort());
    for (const e of kb.entries) expect(e.pack).toBe(e.id.split('.')[0]);
    expect(kb.packs.sort()).toEqual(['core', 'ebiz', 'planswitch']);
    expect(kb.byId.get('ebiz.remit')?.pack).toBe('ebiz');
  });

  it(`every entry has at least ${STORY_MIN} long, indirect and situation examples per language, all distinct from its paraphrases`, () => {
    const read = readKnowledge(REAL_KB);
    expect(read.entries).toHaveLength(kb.entries.length);
    for (const e of read.entries) {
      for (const kind of STORY_KINDS) {
        for (const lang of ['ms', 'en'] as const) {
          const list = e.raw.stories?.[kind]?.[lang] ?? [];
          if (list.length < STORY_MIN) throw new Error(`${e.id}: ${list.length} ${kind} ${lang} example(s)`);
          // a long message tells a story: at least two sentences or clauses, and more words than a short question
          if (kind === 'long') for (const t of list) if (t.split(/\s+/).length < 12) throw new Error(`${e.id}: long ${lang} example too short: "${t}"`);
        }
      }
    }
  });

  it('every entry has both languages and the canonical question plus >= 6 distinct paraphrases in each', () => {
    for (const e of kb.entries) {
      for (const lang of ['ms', 'en'] as const) {
        expect(e.question[lang].length).toBeGreaterThan(3);
        expect(e.examples[lang][0]).toBe(e.question[lang]);
        expect(e.examples[lang].length).toBeGreaterThanOrEqual(7);
        const norm = e.examples[lang].map((x) => x.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim());
        expect(new Set(norm).size).toBe(norm.length);
        if (e.answer) expect(e.answer[lang].trim().length).toBeGreaterThan(10);
      }
      if (e.kind === 'faq' && e.status === 'complete') expect(e.answer).toBeDefined();
    }
  });

  it('every question of the eBiz FAQ is verbatim the canonical Malay question of an ebiz entry', () => {
    const canon = new Map(kb.entries.filter((e) => e.pack === 'ebiz').map((e) => [e.question.ms, e.id]));
    const questions = seedQuestions();
    expect(questions.length).toBe(16);
    for (const q of questions) expect([q, canon.get(q)]).toEqual([q, expect.stringMatching(/^ebiz\./)]);
    expect(canon.get('Bolehkah wakil syarikat datang mewakili pemilik syarikat sekiranya hendak menaiktaraf akaun Pengguna Utama?')).toBe('ebiz.representative-upgrade');
    expect(canon.get('Apakah prosedur untuk menukar wakil syarikat/ agensi yang telah berhenti/ bertukar?')).toBe('ebiz.change-representative');
  });

  it('has no "Capture.PNG" anywhere, in the data files or the loaded entries', () => {
    for (const f of ['packs/ebiz.yaml', 'packs/planswitch.yaml', 'packs/core.yaml', 'plan-rules.yaml', 'plans.yaml']) {
      expect(fs.readFileSync(path.join(REAL_KB, f), 'utf8')).not.toMatch(/capture\.png/i);
    }
    expect(JSON.stringify(kb.entries)).not.toMatch(/capture\.png/i);
  });

  it('incomplete entries are exactly remit and product-types: no answer, a reason, a ticket offered', () => {
    const incomplete = kb.entries.filter((e) => e.status === 'incomplete');
    expect(incomplete.map((e) => e.id).sort()).toEqual(['ebiz.product-types', 'ebiz.remit']);
    for (const e of incomplete) {
      expect(e.answer).toBeUndefined();
      expect(e.incompleteReason).toBeTruthy();
      expect(e.procedure).toEqual({ dialog: 'ticket', mode: 'offer' });
    }
  });

  it('procedures follow the brief', () => {
    for (const [id, [dialog, mode]] of Object.entries(PROCEDURES)) expect([id, kb.byId.get(id)?.procedure]).toEqual([id, { dialog, mode }]);
    for (const e of kb.entries.filter((x) => x.kind === 'procedure')) expect(e.procedure?.mode).toBe('instead');
  });

  it('answers are plain text with every placeholder expanded, at most 700 characters', () => {
    for (const e of kb.entries) {
      if (!e.answer) continue;
      for (const lang of ['ms', 'en'] as const) {
        const a = e.answer[lang];
        expect([e.id, a.length <= 700]).toEqual([e.id, true]);
        expect(a).not.toMatch(/\{\{|\}\}|<\/?[a-z]+>|^#|\*\*|\|/m);
      }
    }
  });

  it('plan-switch answers state the rules of plan-rules.yaml', () => {
    const pp = kb.byId.get('planswitch.conditions-postpaid-prepaid')!.answer!;
    expect(pp.ms).toContain('1. Status talian anda masih aktif');
    expect(pp.ms).toContain('3. Anda tidak menukar pelan telefon bimbit melebihi dua kali dalam masa sebulan.');
    expect(pp.en).toContain('only be done at a Digi Store');
    expect(kb.byId.get('planswitch.conditions-prepaid-postpaid')!.answer!.en).not.toContain('Digi Store');
    expect(kb.byId.get('planswitch.switch-limit-per-month')!.answer!.en).toContain('more than two times');
    expect(kb.byId.get('planswitch.prepaid-credit-carryover')!.answer!.ms).toContain('hingga RM100');
    expect(kb.byId.get('planswitch.prorata-formula')!.answer!.ms).toContain('Tempoh Masa Langganan x Yuran Bulanan / Bilangan Hari Tempoh Pengebilan');
    expect(kb.byId.get('planswitch.prorata-formula')!.answer!.en).toMatch(/RM19\.33[\s\S]*RM53\.33[\s\S]*RM72\.66/);
    expect(kb.byId.get('planswitch.forfeited-items')!.answer!.en).toContain('Postpaid to Postpaid: freebies, rebates, Internet quota, top-up quota, excess quota and your Roam Monthly subscription (if any).');
  });

  it('loads the rules and plans as the source states them', () => {
    const r = kb.rules;
    expect(r.maxSwitchesPerMonth).toBe(2);
    expect(r.creditCarryOverCapSen).toBe(10000);
    expect(r.switchTypes['postpaid-postpaid'].conditions).toEqual(['line-active', 'no-outstanding-bill', 'switch-limit']);
    expect(r.switchTypes['postpaid-prepaid'].conditions).toEqual(['line-active', 'no-outstanding-bill', 'switch-limit']);
    expect(r.switchTypes['prepaid-prepaid'].conditions).toEqual(['line-active', 'sufficient-prepaid-balance', 'switch-limit']);
    expect(r.switchTypes['prepaid-postpaid'].conditions).toEqual(['line-active', 'switch-limit']);
    expect(r.switchTypes['postpaid-prepaid'].onlyAt).toBe('digi-store');
    expect(r.switchTypes['postpaid-prepaid'].contractPenalty).toBe(true);
    expect(r.switchTypes['prepaid-postpaid'].creditCarryOver).toBe(true);
    expect(r.switchTypes['postpaid-postpaid'].forfeits).toContain('roam-monthly');
    expect(r.conditions['switch-limit'].ms).toContain('dua kali');
    const fromSource = kb.plans.filter((p) => p.fromSource).map((p) => [p.name, p.monthlyFeeSen]);
    expect(fromSource).toEqual([['Digi Postpaid 58', 5800], ['Digi Postpaid 80', 8000]]);
    for (const p of kb.plans) expect(Number.isInteger(p.monthlyFeeSen)).toBe(true);
    expect(kb.plans.some((p) => !p.offered && !p.fromSource)).toBe(true);
    expect(kb.plans.filter((p) => p.type === 'prepaid' && !p.fromSource).length).toBeGreaterThanOrEqual(2);
  });

  it('gives every entry a short button label in both languages that is not a cut question', () => {
    const kb = loadKnowledge(REAL_KB);
    for (const entry of kb.entries) {
      for (const lang of ['ms', 'en'] as const) {
        expect(entry.label[lang].length).toBeGreaterThan(0);
        expect(entry.label[lang].length).toBeLessThanOrEqual(20);
        expect(entry.label[lang]).not.toMatch(/…$/);
        expect(entry.label[lang]).not.toBe(entry.question[lang]);
      }
    }
  });

  it('passes the lint with no error and no warning', () => {
    const findings = lintKnowledge(REAL_KB);
    expect(findings.filter((f) => f.level !== 'info')).toEqual([]);
    expect(findings.filter((f) => f.code === 'incomplete').map((f) => f.entry).sort()).toEqual(['ebiz.product-types', 'ebiz.remit']);
  });
});

describe('packs per deployment', () => {
  it('packs: [planswitch] gives planswitch + core only', () => {
    const only = loadKnowledge(REAL_KB, { packs: ['planswitch'] });
    expect(only.packs.sort()).toEqual(['core', 'planswitch']);
    expect(new Set(only.entries.map((e) => e.pack))).toEqual(new Set(['core', 'planswitch']));
    expect(only.byId.has('ebiz.upgrade-account')).toBe(false);
    expect(only.byId.has('core.contact-customer-service')).toBe(true);
    expect(only.entries.length).toBe(PLANSWITCH_IDS.length + CORE_IDS.length);
  });

  it('packs: [ebiz] gives ebiz + core; default is all', () => {
    expect(loadKnowledge(REAL_KB, { packs: ['ebiz'] }).packs.sort()).toEqual(['core', 'ebiz']);
    expect(loadKnowledge(REAL_KB).entries.length).toBe(EBIZ_IDS.length + PLANSWITCH_IDS.length + CORE_IDS.length);
  });

  it('an unknown pack is a KnowledgeError', () => {
    expect(() => loadKnowledge(REAL_KB, { packs: ['ebz'] })).toThrow(KnowledgeError);
    expect(() => loadKnowledge(REAL_KB, { packs: ['ebz'] })).toThrow(/unknown pack\(s\) ebz/);
  });

  it('parses KNOWLEDGE_PACKS', () => {
    expect(parsePackList(undefined)).toBeUndefined();
    expect(parsePackList('')).toBeUndefined();
    expect(parsePackList('all')).toBeUndefined();
    expect(parsePackList(' planswitch , core ')).toEqual(['planswitch', 'core']);
  });
});
