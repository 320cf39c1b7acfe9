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
    // several phrases of one command, politeness between them
    ['x pe la tak jadi', 'cancel'],
    ['tak jadi la batal', 'cancel'],
    ['never mind, cancel', 'cancel'],
    ['ok noted tq', 'thanks'],
    ['great, thank you so much', 'thanks'],
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
    // phrases of different commands, or a phrase with other words
    'cancel help',
    'tak jadi beli',
    'hi thanks batal',
  ])('not a command: %s', (text) => {
    expect(detectCommand(text)).toBeNull();
  });
});
