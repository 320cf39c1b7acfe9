import { findLinePhone, findPhone, findPhones, givesContact, maskPhone, parsePhone } from '../../src/domain/phone';
import { findEmails, maskEmail, parseEmail, sameEmail } from '../../src/domain/email';
import { ACCEPTED_EMAILS, ACCEPTED_PHONES } from '../fixtures/identifiers';

describe('parsePhone', () => {
  test.each(ACCEPTED_PHONES)('%s → %s', (text, e164) => expect(parsePhone(text)).toEqual({ ok: true, value: e164 }));

  test.each([
    ['', 'empty'],
    ['012-345 678', 'length'],
    ['012-345 67890', 'length'],
    ['011-123 4567', 'length'], // 011 needs 8 digits
    ['0111-2345-6789', 'length'],
    ['03-2345 6789', 'not-mobile'], // landline
    ['015-4000 1234', 'not-mobile'],
    ['+65 9123 4567', 'not-malaysian'],
    ['+1 415 555 0100', 'not-malaysian'],
    ['012-345-678x', 'format'],
    ['call me', 'format'],
    ['012 -  345 6789', 'format'], // more than three separators in a row: not one number
  ])('%j → %s', (text, reason) => expect(parsePhone(text)).toEqual({ ok: false, reason }));

  test('find in a sentence', () => {
    expect(findPhone('Nombor saya 012-345 6789, terima kasih')?.value).toBe('+60123456789');
    expect(findPhones('+60 11-1234 5678 atau (019) 234 5678.').map((p) => p.value)).toEqual(['+601112345678', '+60192345678']);
    expect(findPhones('RM58, 11 April 2026, TKT-20261122-7QF3, 2026-03-11, 900101-14-5678')).toEqual([]);
  });

  test.each([
    ['Contact me at 012-100 0005', undefined],
    ['you can reach me on this number, 6012-100 0002', undefined],
    ['boleh hubungi sy di 013-100 0001, waktu pejabat je', undefined],
    ['call me at 012-100 0002 after 5pm', undefined],
    ['can my line 012-100 0001 switch to prepaid? call me at 013-100 0003', '+60121000001'],
    ['check 012-100 0001 pls', '+60121000001'],
  ])('the line in %j (a number given as a contact is none): %s', (text, line) => expect(findLinePhone(text)?.value).toBe(line));

  test.each([
    ['email tan.weiming@example.com.my', true],
    ['this number, 013-100 0002', true],
    ['0131000001', true],
    ['call me at 013-100 0003, after 5pm is best', true],
    ['hubungi sy di 013-100 0001, waktu pejabat je ya. Sy Tan Wei Ming', true],
    ['sbb pelan skrg langsung x sesuai, nak mintak kecualian tukar sekali lagi. hubungi nombor ni la, 012-100 0004', true],
    ['no tel sy 012-100 0001', true],
    // a number in a story, a line to talk about, is no contact
    ['my line 012-100 0002 was charged twice for the same month, please check', false],
    ['line sy 012-100 0005 masih kontrak, boleh tukar ke prabayar?', false],
    ['IC sy 900101-10-5431', false],
    ['no contact details here', false],
  ])('whether %j gives the customer\'s contact: %s', (text, gives) => expect(givesContact(text)).toBe(gives));

  test.each([
    ['+60123456789', '+6012•••••89'],
    ['012-345 6789', '+6012•••••89'],
    ['011-1234 5678', '+6011••••••78'],
  ])('mask %s → %s', (text, masked) => expect(maskPhone(text)).toBe(masked));
});

describe('email', () => {
  test.each(ACCEPTED_EMAILS)('%j valid → %s', (text, value) => expect(parseEmail(text)).toEqual({ ok: true, value }));

  test.each([
    ['', 'empty'],
    ['ali baba@gmail.com', 'spaces'],
    ['ali.gmail.com', 'missing-at'],
    ['ali@@gmail.com', 'several-at'],
    ['a@b@c.com', 'several-at'],
    ['@gmail.com', 'local-part'],
    ['.ali@gmail.com', 'local-part'],
    ['ali..baba@gmail.com', 'local-part'],
    ['ali@gmail', 'missing-dot'],
    ['ali@', 'domain'],
    ['ali@gmail.', 'domain'],
    ['ali@-gmail.com', 'domain'],
    ['ali@gmail.c', 'domain'],
    ['ali@gmail.123', 'domain'],
    [`${'a'.repeat(65)}@gmail.com`, 'too-long'],
    [`a@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.com`, 'too-long'], // 310 chars
  ])('%j → %s', (text, reason) => expect(parseEmail(text)).toEqual({ ok: false, reason }));

  test.each([
    ['ali.baba@gmail.com', 'a••••@g••••.com'],
    ['Siti@JUPEM.gov.my', 'S••••@j••••.gov.my'],
    ['x@mail.example.co.uk', 'x••••@m••••.co.uk'],
    ['b@a.io', 'b••••@a••••.io'],
    ['not an email', 'n••••'],
  ])('mask %s → %s', (text, masked) => expect(maskEmail(text)).toBe(masked));

  test('same address ignoring case', () => {
    expect(sameEmail('Ali@Gmail.com', 'ali@gmail.COM')).toBe(true);
    expect(sameEmail('ali@gmail.com', 'alia@gmail.com')).toBe(false);
    expect(sameEmail('bad', 'bad')).toBe(false);
  });

  test('find in a sentence, without trailing punctuation', () => {
    expect(findEmails('Emel saya ali.baba@gmail.com. Atau siti@jupem.gov.my, terima kasih').map((e) => e.text)).toEqual([
      'ali.baba@gmail.com',
      'siti@jupem.gov.my',
    ]);
  });
});
