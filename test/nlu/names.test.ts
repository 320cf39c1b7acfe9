/**
 * A person's or a company's name in a message (personalNames) is who, not what is asked: it does not dilute the words
 * that say what. Other capitalised words still count as unknown ("CRM", "MyRTKnet": what the knowledge does not cover).
 */
import { personalNames } from '../../src/nlu/recognizer';

describe('personalNames', () => {
  test.each([
    ['the new rep is Siti Nurhaliza binti Ahmad', ['siti', 'nurhaliza', 'binti', 'ahmad']],
    ['company is Ukur Maju Sdn Bhd, please update', ['ukur', 'maju', 'sdn', 'bhd']],
    ['saya Rajesh a/l Kumar', ['rajesh', 'a/l', 'kumar']],
    ['Tan Wei Ming bin Ali', ['tan', 'wei', 'ming', 'bin', 'ali']],
  ])('%s', (text, words) => {
    expect([...personalNames(text)].sort()).toEqual([...words].sort());
  });

  test.each(['What does CRM stand for in the fix points?', 'tukar postpaid ke prepaid blh bt kt mana', 'my bin is full', 'Digi Postpaid 80 plan'])(
    'no name: %s',
    (text) => {
      expect([...personalNames(text)]).toEqual([]);
    },
  );
});
