import path from 'path';
import { loadKnowledgeLexicon } from '../../src/knowledge';
import { analyze, deniesChange, expandShortForms, maskIdentifiers, signsOff, tokenize } from '../../src/language/normalize';

const expand = (t: string) => expandShortForms(tokenize(t)).join(' ');

describe('short forms and slang', () => {
  test.each([
    ['x boleh', 'tidak boleh'],
    ['tak boleh', 'tidak boleh'],
    ['tk blh', 'tidak boleh'],
    ['nk tukar', 'nak tukar'],
    ['camne', 'macam mana'],
    ['cmne', 'macam mana'],
    ['mcm mana', 'macam mana'],
    ['bole', 'boleh'],
    ['utk', 'untuk'],
    ['dgn', 'dengan'],
    ['sy', 'saya'],
    ['dah bayar', 'sudah bayar'],
    ['sdh', 'sudah'],
    ['dh x ditawarkan', 'sudah tidak ditawarkan'],
    ['blh tukar blk klu', 'boleh tukar balik kalau'],
    ['tlg tgk kpd sya', 'tolong tengok kepada saya'],
    ['kat kaunter', 'di kaunter'],
    ['kali2', 'kali-kali'],
  ])('%s -> %s', (input, out) => {
    expect(expand(input)).toBe(out);
  });
});

describe('bilingual concept map', () => {
  const concepts = (t: string, lang: 'ms' | 'en') => analyze(t, lang).features.filter((f) => f.startsWith('#'));
  test.each([
    ['akaun', 'account', '#account'],
    ['naik taraf', 'upgrade', '#upgrade'],
    ['naiktaraf', 'upgrading', '#upgrade'],
    ['e-mel', 'email', '#email'],
    ['emel', 'e-mail', '#email'],
    ['prabayar', 'prepaid', '#prepaid'],
    ['pascabayar', 'postpaid', '#postpaid'],
    ['kaunter', 'counter', '#counter'],
    ['tambah nilai', 'top up', '#topup'],
    ['aduan', 'complaint', '#ticket'],
    ['tiket', 'ticket', '#ticket'],
    ['dilupuskan', 'forfeited', '#forfeit'],
  ])('%s (ms) and %s (en) -> %s', (ms, en, concept) => {
    expect(concepts(ms, 'ms')).toContain(concept);
    expect(concepts(en, 'en')).toContain(concept);
  });

  test('a Malay question and an English one share their features', () => {
    const ms = new Set(analyze('camne nk upgrade akaun', 'ms').features);
    const en = new Set(analyze('how do I upgrade my account', 'en').features);
    expect([...ms].filter((f) => en.has(f)).sort()).toEqual(['#account', '#how', '#upgrade']);
  });

  test('words are read joined as a term ("naik taraf"), except the pairs the lexicon keeps apart ("my Digi line" is no MyDigi app)', () => {
    expect(concepts('my Digi line', 'en')).not.toContain('#app');
    expect(concepts('boleh tukar kat mydigi', 'ms')).toContain('#app');
    expect(concepts('my digi app', 'en')).toContain('#app');
  });

  test('direction of a switch survives the bag of words', () => {
    expect(analyze('tukar postpaid ke prepaid', 'ms').features).toContain('#dir:postpaid>prepaid');
    expect(analyze('move to postpaid from prepaid', 'en').features).toContain('#dir:prepaid>postpaid');
    expect(analyze('change to another prepaid plan', 'en').features).toContain('#dir:prepaid>prepaid');
  });

  test('a line type with a fee, then a fee as the destination, is a switch within it', () => {
    expect(analyze('nak tukar dari postpaid 58 ke 80 bulan ni', 'ms').features).toContain('#dir:postpaid>postpaid');
    expect(analyze('switching from Postpaid RM58 to RM80', 'en').features).toContain('#dir:postpaid>postpaid');
    // (a fee with no line type before it says nothing of the switch: the destination alone decides)
    expect(analyze('my prepaid has RM58 left, moving to postpaid', 'en').features).not.toContain('#dir:prepaid>prepaid');
  });

  test('the first line type named as the destination comes second in the direction', () => {
    expect(analyze('thinking of going back to prepaid since I barely use my postpaid line', 'en').features).toContain('#dir:postpaid>prepaid');
    expect(analyze('nak tukar ke pelan postpaid, skrg guna prepaid', 'ms').features).toContain('#dir:prepaid>postpaid');
    // both named as destinations, or neither: the order they come in
    expect(analyze('dari prepaid ke postpaid', 'ms').features).toContain('#dir:prepaid>postpaid');
    expect(analyze('switch my prepaid line to postpaid', 'en').features).toContain('#dir:prepaid>postpaid');
  });

  test('a line type denied is no end of the switch (lexicon direction.deniedVia)', () => {
    const dir = (text: string, lang: 'ms' | 'en') => analyze(text, lang).features.filter((f) => f.startsWith('#dir:'));
    expect(dir("I'm on a big postpaid plan and want a smaller postpaid one. I don't want to go to prepaid.", 'en')).toEqual(['#dir:postpaid>postpaid']);
    expect(dir('nak tukar ke pelan postpaid lain yang lebih murah, tak nak prepaid', 'ms')).toEqual(['#dir:postpaid>postpaid']);
    // a negator with other words between denies nothing: "not sure" is no denial of the switch to prepaid
    expect(dir('not sure whether my postpaid line can go to prepaid', 'en')).toEqual(['#dir:postpaid>prepaid']);
    expect(dir('tak pasti line postpaid sy boleh tukar ke prepaid', 'ms')).toEqual(['#dir:postpaid>prepaid']);
  });
});

describe('identifiers', () => {
  test('ticket references, MyKad numbers, e-mails and phone numbers are masked', () => {
    const m = maskIdentifiers('status TKT-20261122-7QF3, ic 900101-14-5678, a.b@c.com, 012-345 6789');
    expect(m.found.map((f) => f.kind).sort()).toEqual(['email', 'mykad', 'phone', 'ticket']);
    expect(m.text).not.toMatch(/\d{6}|@|TKT/);
  });
  test('a ticket reference counts as a mention of a ticket', () => {
    expect(analyze('status TKT-20261122-7QF3', 'ms').features).toEqual(expect.arrayContaining(['#status', '#ticket']));
  });
  test('out-of-scope terms are reported', () => {
    expect(analyze('cuaca esok macam mana', 'ms').outOfScope).toContain('cuaca');
  });
  // (a term of parts, "a + b" in the lexicon: each part anywhere in the message)
  test.each([
    ['Forgot my eBiz v2.0 password, how do I get back in?', 'en', 'forgot + password'],
    ['sy terlupa pulak kata laluan akaun ebiz baru', 'ms', 'terlupa + kata laluan'],
    // (a negator further back, before another part, denies nothing of it)
    ['made a new eBiz account, not migrated, and forgot the password', 'en', 'forgot + password'],
  ])('an out-of-scope term of parts apart is reported: %s', (text, lang, term) => {
    expect(analyze(text, lang as 'ms' | 'en').outOfScope).toContain(term);
  });
  test.each([
    ['I forgot which e-mail I used on the old eBiz', 'en'],
    ['password lama sy tak jalan dalam ebiz v2.0', 'ms'],
  ])('not when a part is missing: %s', (text, lang) => {
    expect(analyze(text, lang as 'ms' | 'en').outOfScope.filter((t) => t.includes(' + '))).toEqual([]);
  });
  // (lexicon reasonOpeners: the clause tells why, not what is asked)
  test.each([
    ['thinking of moving my prepaid line to postpaid now that I have a steady salary', 'en'],
    ['nak tukar ke postpaid sebab gaji dah masuk', 'ms'],
    ['I want to go postpaid because my salary is paid monthly', 'en'],
  ])('an out-of-scope term in a clause that gives a reason is set aside: %s', (text, lang) => {
    expect(analyze(text, lang as 'ms' | 'en').outOfScope).toEqual([]);
  });
  test.each([
    ['can I pay my salary deduction through the app', 'en'],
    ['apa sebab gaji tak masuk', 'ms'],
    ['because of my salary, can Digi give me a loan', 'en'],
  ])('not when it is what is asked: %s', (text, lang) => {
    expect(analyze(text, lang as 'ms' | 'en').outOfScope.length).toBeGreaterThan(0);
  });
  // (lexicon negators: what the customer does not want is not what they ask about)
  test.each([
    ["I'd like to pay at the counter in cash, I don't do online banking", 'en'],
    ['sy tak guna kad kredit, boleh topup tunai di kaunter?', 'ms'],
    ['no credit card here, can I still top up my eBiz account?', 'en'],
  ])('an out-of-scope term a negator denies is set aside: %s', (text, lang) => {
    expect(analyze(text, lang as 'ms' | 'en').outOfScope).toEqual([]);
  });
  test.each([
    // "boleh tak", "or not" ask; a negator further back denies something else
    ['boleh tak bayar guna kad kredit?', 'ms'],
    ['can I pay by credit card or not', 'en'],
    ['not sure what to do, can I top up with my credit card', 'en'],
  ])('not an "or not", nor a negator further back: %s', (text, lang) => {
    expect(analyze(text, lang as 'ms' | 'en').outOfScope.length).toBeGreaterThan(0);
  });
});

test.each([
  // a phrase joined by hyphens is its words; a word of two parts (reduplication, pro-rata, e-mel) stays one
  ['prepaid-to-prepaid requirements', ['prepaid', 'to', 'prepaid', 'requirements']],
  ['no add-to-cart button', ['no', 'add', 'to', 'cart', 'button']],
  ['syarat-syarat pro-rata e-mel top-up', ['syarat-syarat', 'pro-rata', 'e-mel', 'top-up']],
  // an arrow is the word "to"
  ['Postpaid 40 → 60', ['postpaid', '40', 'to', '60']],
  ['prepaid->postpaid, 58 => 80', ['prepaid', 'to', 'postpaid', '58', 'to', '80']],
])('tokenize: %s', (text, tokens) => {
  expect(tokenize(text)).toEqual(tokens);
});

describe('deniesChange: a message that says there is no plan change (lexicon denial)', () => {
  const lex = loadKnowledgeLexicon(path.join(__dirname, '../../knowledge'));
  const denies = (text: string) => deniesChange(analyze(text, 'en', { lex }).tokens, lex);
  test.each([
    ['Can I get a bigger credit limit on my postpaid without switching plans?'],
    ['sy x nak tukar pelan, cuma nak tambah had kredit je, blh ke?'],
    ["I'm staying on my current plan, how do I cancel Roam Monthly?"],
    ['nak tamatkan terus talian, bukan tukar ke prabayar'],
    ['we would rather keep the existing package'],
    // staying on the plan, asked about
    ['If I don\'t switch plans, do my freebies still expire?'],
    ['kalau tak tukar pelan, roam monthly kekal ke?'],
    // after "but", without its speaker
    ['nak naikkan had kredit sementara, tapi tak nak tukar pelan. Boleh mohon?'],
    // "not" before the change itself
    ['Not changing my plan, I only need a bigger credit limit for next month'],
    // the line or plan said as "it"
    ['I want to close the line for good, not switch it. How?'],
  ])('denies: %s', (text) => expect(denies(text)).toBe(true));
  test.each([
    // the number, not the plan
    ["I don't want to change my number, what do I need to switch from prepaid to postpaid?"],
    ['Saya tak nak tukar nombor, apa syarat tukar prabayar ke pascabayar?'],
    // "x" asks "or not" before the wish to change
    ['line sy ni layak x nk tukar ke prepaid? tlg tgk kan'],
    // keeping denied
    ['What do I lose if I switch instead of keeping my plan?'],
    ['can I change my plan twice this month?'],
    ['nak tukar pelan tapi tak nak hilang nombor'],
    // "not" asked about
    ['why can I not switch?'],
    ["why can't I switch plan this month?"],
  ])('does not deny: %s', (text) => expect(denies(text)).toBe(false));
});

test('Kelantan and Terengganu forms are read as standard Malay (lexicon shortForms)', () => {
  const lex = loadKnowledgeLexicon(path.join(__dirname, '../../knowledge'));
  expect(analyze('ambo nok tukar pelan, gapo keno wt?', 'ms', { lex }).tokens).toEqual(['saya', 'nak', 'tukar', 'pelan', 'apa', 'kena', 'buat']);
});

test('dialect forms of Kelantan, Terengganu, Negeri Sembilan, the north, Sabah and Sarawak are read as standard Malay (lexicon shortForms)', () => {
  const lex = loadKnowledgeLexicon(path.join(__dirname, '../../knowledge'));
  const tokens = (text: string) => analyze(text, 'ms', { lex }).tokens;
  expect(tokens('kawe nok tuko pelan bule lepah, buleh ko?')).toEqual(['saya', 'nak', 'tukar', 'pelan', 'bule', 'lepas', 'boleh', 'ko']);
  expect(tokens('ado oghe hok buleh tolong')).toContain('orang');
  expect(tokens('sia mau bikin aduan, buli ka?')).toEqual(['saya', 'mahu', 'buat', 'aduan', 'boleh', 'ka']);
  // northern "lagu tu" is "like that", not a song (a song stays out of scope)
  expect(tokens('awat jadi lagu tu')).toEqual(['kenapa', 'jadi', 'macam', 'itu']);
  expect(tokens('recommend lagu raya')).toEqual(['recommend', 'lagu', 'raya']);
  // Negeri Sembilan, and more Kelantan
  expect(tokens('den dah tukar duo kali, ado had ko?')).toEqual(['saya', 'sudah', 'tukar', 'dua', 'kali', 'ada', 'had', 'ko']);
  expect(tokens('kato dio akaun ambo biaso')).toEqual(['kata', 'dia', 'akaun', 'saya', 'biasa']);
});

describe('the closing of a letter (signsOff)', () => {
  const lex = loadKnowledgeLexicon(path.join(__dirname, '../../knowledge'));
  test.each([
    ['Sekian, terima kasih.', true],
    ['Yang benar, Rosnah binti Jaafar.', true],
    ['Mohon bantuan.', true],
    ['Please help.', true],
    ['Best regards, Jason Lee', true],
    // (what follows names something the knowledge is about: a request, no courtesy)
    ['Please help me contact customer service.', false],
    ['Mohon bantuan hubungi khidmat pelanggan.', false],
    // (more words than a name)
    ['Thanks, and one more thing about my account I forgot to mention earlier', false],
    ['Can you help me?', false],
  ])('%s → %s', (sentence, closes) => {
    expect(signsOff(sentence, lex)).toBe(closes);
  });
});
