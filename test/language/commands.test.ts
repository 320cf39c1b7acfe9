import { detectCommand } from '../../src/language/commands';

describe('detectCommand', () => {
  test.each([
    ['batal', 'cancel'],
    ['cancel la', 'cancel'],
    ['Cancel', 'cancel'],
    ['tak jadi', 'cancel'],
    ['help', 'help'],
    ['bantuan', 'help'],
    ['menu', 'menu'],
    ['menu utama', 'menu'],
    ['hai', 'greeting'],
    ['assalamualaikum', 'greeting'],
    ['good morning', 'greeting'],
    ['ok tq', 'thanks'],
    ['terima kasih', 'thanks'],
    ['thank you', 'thanks'],
    ['ya', 'yes'],
    ['ok', 'yes'],
    ['yes please', 'yes'],
    ['x nak', 'no'],
    ['tidak', 'no'],
    ['no thanks', 'no'],
    ['English please', 'switch-en'],
    ['BM', 'switch-ms'],
  ])('%s -> %s', (text, cmd) => {
    expect(detectCommand(text)).toBe(cmd);
  });

  test.each([
    'cancel my plan',
    'batal langganan roam monthly',
    'help me upgrade my account',
    'nak tukar pelan',
    'ok macam mana nak semak tiket',
    'menu apa ada kat kaunter',
  ])('not a command: %s', (text) => {
    expect(detectCommand(text)).toBeNull();
  });
});
