/**
 * The switch a message names (dialogs/planswitch-common.ts detectSwitchType), in Malay and English: the order of the
 * two line types, unless the words of going there come before the first one only.
 */
import path from 'node:path';
import { detectSwitchType } from '../../dialogs/planswitch-common';
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
])('%s -> %s', (text, id) => {
  expect(detectSwitchType(text, rules)).toBe(id);
});
