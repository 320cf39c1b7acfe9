import { detectCommand, isSocial } from '../../src/language/commands';
import { analyze, directionFeatures, maskIdentifiers, requestFeatures } from '../../src/language/normalize';

describe('amounts and dates become one feature each', () => {
  test.each([
    ['RM58', 'money'], ['rm 80.00', 'money'], ['58 ringgit', 'money'],
    ['11 April 2026', 'date'], ['April 11, 2026', 'date'], ['2026-04-11', 'date'], ['11/4/2026', 'date'], ['15hb', 'date'], ['the 11th', 'date'], ['1st', 'date'],
  ])('%s is %s', (text, kind) => {
    const m = maskIdentifiers(`tukar ${text} ok`);
    expect(m.found.map((f) => f.kind)).toEqual([kind]);
    expect(analyze(`tukar ${text}`, 'ms').features).toContain(`#${kind}`);
  });
  test('plain numbers, plan names and versions are not amounts or dates', () => {
    expect(maskIdentifiers('postpaid 58 ke postpaid 80, ebiz v2.0, 3 kali').found).toEqual([]);
  });
});

describe('personal data is neutral', () => {
  test('an e-mail, a MyKad or a passport number gives no feature, and is not in the tokens', () => {
    for (const pii of ['siti@contoh.com.my', '900101-14-5678', 'A12345678', 'A1234 5678']) {
      const a = analyze(`nak buat aduan ${pii}`, 'ms');
      expect({ pii, features: a.features }).toEqual({ pii, features: analyze('nak buat aduan', 'ms').features });
      expect(a.tokens.join(' ')).not.toMatch(/\d|@/);
    }
  });
  test('a phone number is a line given: one feature whatever its digits, and not in the tokens', () => {
    for (const phone of ['012-345 6789', '+60 12-345 6789', '0131000005']) {
      const a = analyze(`semak talian ${phone}`, 'ms');
      expect({ phone, features: a.features }).toEqual({ phone, features: [...analyze('semak talian', 'ms').features, '#phonenumber'] });
      expect(a.tokens.join(' ')).not.toMatch(/\d/);
    }
  });
  test('a ticket reference still means a ticket, as issued or as a customer remembers it', () => {
    expect(analyze('status TKT-20261122-7QF3', 'en').features).toContain('#ticket');
    const short = analyze('tiket TKT-70011 dah settle ke', 'ms');
    expect(short.features).toContain('#ticket');
    expect(short.tokens.join(' ')).not.toMatch(/\d/);
    // letters and digits mixed after the prefix, as a reference is misremembered or mistyped
    for (const ref of ['TKT-7F3K2Q', 'tkt4hq8zr', 'TKT-2B8W5N']) {
      expect({ ref, features: analyze(`any news on ${ref}?`, 'en').features }).toEqual({ ref, features: expect.arrayContaining(['#ticket', '#ticketref']) });
    }
    // a word after the prefix without a digit is no reference ("tkt-abcdef"), nor is the prefix inside a word
    expect(analyze('tkt-abcdef status', 'en').features).not.toContain('#ticketref');
    expect(analyze('xtkt-12345 status', 'en').features).not.toContain('#ticketref');
  });
});

describe('words the lexicon tells apart', () => {
  test('an office is a place, an officer a person (Porter stems both to "offic")', () => {
    expect(analyze('someone in the office told me', 'en').features).not.toContain('#agent');
    expect(analyze('the officer at the counter told me', 'en').features).toContain('#agent');
  });
  test('switching back is going back ("can I switch back later?", "boleh tukar balik?")', () => {
    expect(analyze('can I switch back later', 'en').features).toContain('#goback');
    expect(analyze('boleh tukar balik nanti', 'ms').features).toContain('#goback');
  });
  test('chat short forms of lama and baru', () => {
    expect(analyze('login guna id lma kt ebiz bru', 'ms').tokens).toEqual(expect.arrayContaining(['lama', 'baru']));
  });
  test('how products are grouped or categorised asks for their types', () => {
    expect(analyze('no idea how the products are grouped', 'en').features).toContain('#type');
    expect(analyze('produk tu dikelaskan macam mana', 'ms').features).toContain('#type');
  });
  test('the ticket numbers, plural, are the list of tickets', () => {
    expect(analyze('every old chat is gone, including the ticket numbers you gave me', 'en').features).toContain('#mytickets');
    expect(analyze('nombor2 tiket yg korang bagi dah hilang', 'ms').features).toContain('#mytickets');
  });
  test('an e-mail that no longer exists or was shut down is a problem', () => {
    for (const t of ['emel lama sy dah x wujud', 'my old email was shut down', 'that address does not exist anymore']) expect(analyze(t, t.startsWith('emel') ? 'ms' : 'en').features).toContain('#problem');
  });
});

describe('what a message asks for', () => {
  test('calculating is a request, asking how it is calculated is not', () => {
    expect(requestFeatures(['#calculate', '#bill'], ['kira', 'bil'])).toEqual(['#bill', '#do:calculate']);
    expect(requestFeatures(['#calculate', '#bill', '#how'], ['macam', 'mana', 'kira', 'bil'])).toEqual(['#calculate', '#bill', '#how']);
    expect(requestFeatures(['#calculate', '#bill'], ['how', 'is', 'my', 'bill', 'calculated'])).toEqual(['#calculate', '#bill']);
    expect(requestFeatures(['#calculate', '#cost'], ['calculate', 'how', 'much', 'i', 'pay'])).toEqual(['#cost', '#do:calculate']);
    expect(requestFeatures(['#prorata', '#money'], ['prorate', '__money__'])).toEqual(['#prorata', '#money', '#do:calculate']);
    expect(requestFeatures(['#prorata'], ['prorata'])).toEqual(['#prorata']);
  });
  test('a line type named as the destination of a switch gives the direction', () => {
    expect(analyze('want to downgrade to prepaid', 'en').features).toContain('#dir:postpaid>prepaid');
    expect(analyze('nak tukar ke pelan postpaid', 'ms').features).toContain('#dir:prepaid>postpaid');
    // (a word of the current type after a person the switch is made for: the destination, "wants me on postpaid")
    expect(analyze("I've had prepaid since college and my new employer wants me on postpaid", 'en').features).toContain('#dir:prepaid>postpaid');
    expect(analyze("mum has been on prepaid for years, I'd like to put her on postpaid", 'en').features).toContain('#dir:prepaid>postpaid');
    // (pergi, "go", before the destination, the origin named after it: "tukar saja pigi postpaid … Line prepaid sia")
    expect(analyze('kawan ckp tukar saja pigi postpaid, line prepaid sia dah lama', 'ms').features).toContain('#dir:prepaid>postpaid');
    // not a switch: topping up a prepaid account names no direction
    expect(directionFeatures(['#topup', '#prepaid'], ['topup', 'to', 'prepaid'])).toEqual([]);
  });
  test.each([
    // a story names its line types more than once: the origin said as such decides, not the first named
    ['my company pays only for a postpaid plan. I have always been on prepaid. What are the conditions for changing from prepaid to postpaid?', 'en', '#dir:prepaid>postpaid'],
    ['Syarikat baru saya nak saya guna postpaid, sekarang ni saya masih prabayar dan tak pasti apa perlu', 'ms', '#dir:prepaid>postpaid'],
    ['I am currently on postpaid, the prepaid plans look cheaper', 'en', '#dir:postpaid>prepaid'],
    ['going back to prepaid, I barely use my postpaid line', 'en', '#dir:postpaid>prepaid'],
    ['to postpaid from prepaid, what do I need', 'en', '#dir:prepaid>postpaid'],
    ['tukar postpaid ke prepaid', 'ms', '#dir:postpaid>prepaid'],
    // nothing said of either: the first named is the origin
    ['prepaid and postpaid switch rules', 'en', '#dir:prepaid>postpaid'],
    // one type named twice: a switch within it
    ['postpaid to postpaid conditions', 'en', '#dir:postpaid>postpaid'],
    // a line type followed by "instead", "pulak" is the destination, whatever stands before it (lexicon direction.toAfter)
    ['my daughter keeps running up her postpaid bill, I want her on prepaid instead', 'en', '#dir:postpaid>prepaid'],
    ['dah penat bayar bil bulanan, nak tukar prepaid pulak', 'ms', '#dir:postpaid>prepaid'],
  ])('the direction of "%s"', (text, lang, dir) => {
    const dirs = analyze(text, lang as 'ms' | 'en').features.filter((f) => f.startsWith('#dir:'));
    expect(dirs).toEqual([dir]);
  });
});

describe('out of scope', () => {
  test.each([
    ['sy lupa kata laluan eBiz, camne nak set semula?', 'ms', 'lupa kata laluan'],
    ['I forgot my password for the eBiz portal', 'en', 'forgot my password'],
  ])('a forgotten password is outside both source documents: %s', (text, lang, term) => {
    expect(analyze(text, lang as 'ms' | 'en').outOfScope).toContain(term);
  });
  test('the old password of a migration is no such term', () => {
    expect(analyze('x boleh login guna ID lama dan password lama', 'ms').outOfScope).toEqual([]);
  });
});

describe('small talk', () => {
  test.each(['how are you', 'how are you today', 'whats your name', 'who are you', 'are you a bot', 'apa khabar', 'siapa nama kamu', 'kamu robot ke'])('%s is a greeting', (text) => {
    expect(detectCommand(text)).toBe('greeting');
    expect(isSocial(text)).toBe(true);
  });
  test('questions about the service are not small talk', () => {
    for (const text of ['what is your hotline', 'are you open on sunday', 'siapa boleh jadi wakil syarikat']) expect(isSocial(text)).toBe(false);
  });
});
