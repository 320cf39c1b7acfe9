import { yesNoIn } from '../../dialogs/engine';
import { detectCommand, doesItThemselves, holdsOnToDo, leavingOnly, questionAfterHoldOn } from '../../src/language/commands';
import { lexicon, phrasePattern } from '../../src/language/lexicon';
import { analyseText } from '../../src/language/normalize';

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
    ['actually cancel for now', 'cancel'],
    ['batal buat masa ni', 'cancel'],
    ['yg ni batal dulu', 'cancel'],
    ['batal yang tu', 'cancel'],
    // a cancel phrase of two words and what it cancels
    ['hmm actually never mind the ticket', 'cancel'],
    ['tak jadi la tiket tu', 'cancel'],
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
    // a request taken back with what it was for: the router reads what the message asks instead
    'x payah aduan',
  ])('not a command: %s', (text) => {
    expect(detectCommand(text)).toBeNull();
  });
});

describe('a question after an opening that asks the bot to wait', () => {
  test.each([
    ['jap, formula dia mcm mana sebenarnya?', 'formula dia mcm mana sebenarnya?'],
    ["hang on, what's the formula actually?", "what's the formula actually?"],
    ['tunggu kejap. macam mana nak kira?', 'macam mana nak kira?'],
    // what follows asks nothing: the customer asks the bot to wait
    ['kejap, sy tgk bil lama', undefined],
    ['hold on let me check my old bill', undefined],
    // no such opening
    ['formula dia mcm mana?', undefined],
    ['saya nak tahu, macam mana nak kira?', undefined],
  ])('%s', (text, question) => {
    expect(questionAfterHoldOn(analyseText(text, lexicon()))).toBe(question);
  });
});

describe('an opening that asks the bot to wait, then what the customer does meanwhile', () => {
  test.each([
    ['hmm kejap sy tgk bil lama', true],
    ["hold on, I'm finding the old bill", true],
    ['wait let me check the cycle date', true],
    // the opening, then a question or a topic: not what the customer does
    ['kejap, formula dia mcm mana?', false],
    ['hold on, conditions for postpaid to prepaid', false],
    ['sy tgk bil lama', false],
  ])('%s', (text, todo) => {
    expect(holdsOnToDo(analyseText(text, lexicon()))).toBe(todo);
  });
});

describe('a customer saying they will do it themselves', () => {
  test.each([
    ['ok nanti sy hubungi khidmat pelanggan. tq', true],
    ["I'll contact customer service myself, thanks", true],
    ['nnt sy pergi kaunter sendiri', true],
    ['sy dah hubungi khidmat pelanggan semalam', false],
    ['can you ask them to call me later?', false],
    ['tolong hubungi sy nanti', false],
    ['ya buat tiket', false],
  ])('%s -> %s', (text, self) => {
    expect(doesItThemselves(analyseText(text, lexicon()))).toBe(self);
  });
});

describe('leavingOnly: a customer saying goodbye', () => {
  const leaving = (text: string) => leavingOnly(analyseText(text, lexicon()));
  test.each([
    'ok tu je. terima kasih byk2, selamat petang',
    "that's all, thanks. bye",
    'thanks, bye',
    'itu sahaja, terima kasih',
    'ok then, thank you. have a nice day',
  ])('leaving: %s', (text) => expect(leaving(text)).toBe(true));
  test.each([
    // thanks alone: said while a code is on its way, the customer is still there
    'ok tq',
    'terima kasih',
    // a farewell without thanks, or thanks with something else said
    'bye',
    'ok tq. nanti sy check',
    'thanks, my IC is 850312-14-5672',
    'tu je ke caranya? terima kasih',
  ])('not leaving: %s', (text) => expect(leaving(text)).toBe(false));
});

test('a short form said twice is expanded twice ("byk2" → "banyak-banyak"), so "terima kasih byk2" is thanks', () => {
  expect(analyseText('terima kasih byk2', lexicon()).expanded).toEqual(['terima', 'kasih', 'banyak-banyak']);
  expect(detectCommand('terima kasih byk2')).toBe('thanks');
});

describe('yesNoIn (a yes or a no at the start of a sentence; lexicon answerYes / answerNo)', () => {
  test.each([
    ['ya betul, itu emel sy', 'yes'],
    ['ok send it', 'yes'],
    ['go ahead please', 'yes'],
    ["no, that's wrong", 'no'],
    ["don't send it yet", 'no'],
    ['tak nak la', 'no'],
    ['x, bukan emel tu', 'no'],
    ['emel tu betul', null],
    ['nothing to add', null],
    ['okayyy', null],
  ] as const)('%s -> %s', (text, expected) => {
    expect(yesNoIn(text)).toBe(expected);
  });

  test('the words are data: a lexicon without "boleh" as a yes reads none in "boleh"', () => {
    const lex = lexicon();
    expect(yesNoIn('boleh, hantar')).toBe('yes');
    expect(yesNoIn('boleh, hantar', { ...lex, answerYes: new Set(['ya']) })).toBeNull();
    expect(yesNoIn('nanti dulu', { ...lex, answerNo: new Set(['nanti dulu']) })).toBe('no');
  });
});

describe('phrasePattern (a lexicon list as whole words and phrases)', () => {
  const list = new Set(['eh', 'hold on', 'before that', "don't"]);
  test.each([
    ['eh jap, nak semak line dulu', 'start', true],
    ['  ...hold   on, let me check', 'start', true],
    ["Don't send it", 'start', true],
    ['ehh', 'start', false],
    ['ok eh', 'start', false],
    ['ok eh', 'anywhere', true],
    ['before thatcher', 'anywhere', false],
    ['sebelum tu', 'anywhere', false],
  ] as const)('%s (%s) -> %s', (text, where, expected) => {
    expect(phrasePattern(list, where).test(text)).toBe(expected);
  });

  test('an empty list matches nothing; a phrase with pattern characters is taken literally', () => {
    expect(phrasePattern(new Set(), 'anywhere').test('anything')).toBe(false);
    expect(phrasePattern(new Set(['a.b']), 'anywhere').test('axb')).toBe(false);
    expect(phrasePattern(new Set(['a.b']), 'anywhere').test('see a.b here')).toBe(true);
  });

  test('the lexicon lists the bot reads at the start of a message are there', () => {
    const lex = lexicon();
    expect(phrasePattern(lex.switchOpeners, 'start').test('eh jap, nak semak kelayakan dulu')).toBe(true);
    expect(phrasePattern(lex.whyWords, 'start').test('kenapa x boleh?')).toBe(true);
    expect(phrasePattern(lex.restartWords, 'anywhere').test('nak mula semula')).toBe(true);
  });
});
