/**
 * The switch a message names (dialogs/planswitch-common.ts detectSwitchType), in Malay and English: the order of the
 * two line types, unless the words of going there come before the first one only.
 */
import path from 'node:path';
import { detectSwitchType, findPlan } from '../../dialogs/planswitch-common';
import { loadKnowledge } from '../../src/knowledge';

const { rules } = loadKnowledge(path.join(__dirname, '../../knowledge'));

test.each([
  ['dari postpaid ke prepaid', 'postpaid-prepaid'],
  ['switch my prepaid to postpaid', 'prepaid-postpaid'],
  // the target first, the line's own type after it
  ['boleh ke saya tukar pelan? nak downgrade ke prepaid je la, mahal sgt postpaid skrg', 'postpaid-prepaid'],
  ['I want to move to postpaid, tired of topping up my prepaid every week', 'prepaid-postpaid'],
  // going there said before both: the order decides
  ['tukar ke postpaid dari prepaid? tak, maksud sy dari prepaid ke postpaid', 'prepaid-postpaid'],
  // a type the customer is not going to names no end of the switch; the "x" of "boleh x" is "or not"
  ['ok. kalau sy x jadi postpaid, tukar ke pelan prepaid lain je, boleh?', undefined],
  ["if I don't go postpaid, just switch to another prepaid plan", undefined],
  ['hi, line sy postpaid. boleh x tukar ke prepaid?', 'postpaid-prepaid'],
  ['line prepaid sy layak x tukar ke postpaid?', 'prepaid-postpaid'],
])('%s -> %s', (text, id) => {
  expect(detectSwitchType(text, rules)).toBe(id);
});

/** The plan a message switches to (findPlan): the one the switch goes to, never the line's own plan. */
describe('findPlan', () => {
  const { plans } = loadKnowledge(path.join(__dirname, '../../knowledge'));
  const today = { y: 2026, m: 11, d: 30 };
  test.each([
    ["Can my line 012-100 0001 switch to Digi Postpaid 80? I'm on Postpaid 58 now", 'digi-postpaid-80'],
    ['sy tengah guna postpaid 58, boleh tukar ke Digi Postpaid 80?', 'digi-postpaid-80'],
    ['nak tukar ke postpaid 80', 'digi-postpaid-80'],
    ['from Digi Postpaid 58 to Digi Postpaid 80', 'digi-postpaid-80'],
    // the only plan named is the line's own: no target
    ["If I switch from my current plan (Demo Postpaid 40), can I switch back later?", undefined],
    ["I'm on Postpaid 58, what are the conditions to switch?", undefined],
    ['Nk semak boleh tukar pelan x, talian 012-100 0006, dari Demo Postpaid 40 ke postpaid lain', undefined],
    ['can I move from Digi Postpaid 58 to a different postpaid plan?', undefined],
  ])('%s -> %s', (text, id) => {
    expect(findPlan(text, plans, today)?.id).toBe(id);
  });
});
