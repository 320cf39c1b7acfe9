/**
 * Each pack names its domain (the pack file's `markers`: eBiz and JUPEM for the portal's FAQ, Digi for the plan-switch
 * guide): a message that names one domain and not the other is not answered by an entry of the other, on the real
 * knowledge base, however many words it shares with it (prepaid, balance, account, move); a message that names both,
 * or neither, is read as before. kb:check refuses a marker the lexicon does not have and warns of an example that
 * names another pack's domain and not its own. None of these messages is in an evaluation set.
 */
import path from 'path';
import { loadKnowledge, loadKnowledgeLexicon } from '../../src/knowledge';
import { lintKnowledge } from '../../src/knowledge/lint';
import { DEFAULT_RECOGNIZER_OPTIONS, Recognizer } from '../../src/nlu/recognizer';
import { cleanFixtureDirs, fixtureDir, REAL_KB } from '../knowledge/helpers';
import fs from 'fs';

const dir = path.join(__dirname, '../../knowledge');
const kb = loadKnowledge(dir);
const rec = Recognizer.build(kb.entries, DEFAULT_RECOGNIZER_OPTIONS, loadKnowledgeLexicon(dir));
const outcome = (text: string) => {
  const r = rec.match(text);
  return r.decision === 'fallback' ? 'declined' : r.candidates[0]?.entry.id;
};

afterAll(cleanFixtureDirs);

test('the packs carry their markers to their entries (core has none)', () => {
  expect(kb.byId.get('ebiz.upgrade-account')!.markers).toEqual(['ebiz', 'jupem']);
  expect(kb.byId.get('planswitch.credit-limit')!.markers).toEqual(['digi']);
  expect(kb.byId.get('core.contact-customer-service')!.markers).toBeUndefined();
});

test.each([
  // an eBiz account's prepaid balance is no Digi prepaid credit
  ["Can I move the prepaid balance of my eBiz account to another company's eBiz account?"],
  ['baki prabayar dalam akaun eBiz saya ada tarikh luput ke?'],
  ['Is there an eBiz app for Android phones?'],
])('a message about one domain is not answered by the other: %s', (text) => {
  expect(outcome(text)).toBe('declined');
});

test.each([
  ['Saya nak tukar talian Digi prabayar ke pascabayar, apa syaratnya?', 'planswitch.conditions-prepaid-postpaid'],
  ['How do I top up the prepaid account of eBiz at the JUPEM counter?', 'ebiz.prepaid-topup-counter'],
  // both domains named: the question decides
  ['I buy maps on eBiz and my Digi line is prepaid, can I switch it to postpaid?', 'planswitch.conditions-prepaid-postpaid'],
  // neither named
  ['kalau sy tukar plan, baki kredit prabayar sy hilang ke?', 'planswitch.prepaid-credit-carryover'],
])('its own domain, both or neither: %s', (text, id) => {
  expect(outcome(text)).toBe(id);
});

test.each([
  // a plan change denied: the entries about one do not answer (the credit limit of the new plan, Roam Monthly when
  // switching)
  ['Can I get a bigger credit limit on my postpaid without switching plans?'],
  ['sy x nak tukar pelan, cuma nak tambah had kredit je, blh ke?'],
  ["I'm staying on my current plan, how do I cancel Roam Monthly?"],
  ['If I do not switch plans, does my unused data roll over?'],
])('a message that says there is no plan change is not answered by the entries about one: %s', (text) => {
  expect(outcome(text)).toBe('declined');
});

test.each([
  ['What do I lose if I switch instead of keeping my plan?', 'planswitch.forfeited-items'],
  ['Saya tak nak tukar nombor, apa syarat tukar prabayar ke pascabayar?', 'planswitch.conditions-prepaid-postpaid'],
  ['layak x nk tukar ke postpaid? tolong semak 012-345 6789', 'planswitch.check-eligibility'],
  // Kelantan forms
  ['ambo nok tukar pelan prepaid gi postpaid, gapo syarat dio?', 'planswitch.conditions-prepaid-postpaid'],
])('a change not denied is read as before: %s', (text, id) => {
  expect(outcome(text)).toBe(id);
});

describe('kb:check on markers', () => {
  const base = fs.readFileSync(path.join(REAL_KB, 'packs/planswitch.yaml'), 'utf8');
  const lint = (text: string) => lintKnowledge(fixtureDir({ 'packs/planswitch.yaml': { text } }, REAL_KB));

  it('refuses a marker that is no concept of the lexicon', () => {
    const findings = lint(base.replace('markers: [digi]', 'markers: [digi, no-such-concept]'));
    expect(findings.filter((f) => f.level === 'error').map((f) => f.message)).toEqual([expect.stringContaining('"no-such-concept", which is no concept')]);
  });

  it("warns of an example that names another pack's domain and not its own", () => {
    const example = 'my eBiz prepaid balance is low, can I switch it';
    const text = base.replace('        - syarat tukar pelan postpaid ke postpaid lain\n', `        - syarat tukar pelan postpaid ke postpaid lain\n        - ${example}\n`);
    expect(text).not.toBe(base);
    const warnings = lint(text).filter((f) => f.code === 'example-names-other-domain');
    expect(warnings.map((f) => f.message)).toEqual([expect.stringContaining(`"${example}" names another pack's domain (ebiz)`)]);
    expect(lint(base).filter((f) => f.code === 'example-names-other-domain')).toEqual([]);
  });
});
