/**
 * The whole-message model (src/nlu/whole.ts) and its part in the recognizer: long messages whose question
 * comes after a story are answered, the asking sentence weighs most, the cost per message is capped.
 */
import path from 'path';
import { loadKnowledge, loadKnowledgeLexicon } from '../../src/knowledge';
import { MAX_MODEL_FEATURES, type FeatureKeys, type FeatureVector, WholeMessageModel, sentences, textFeatures } from '../../src/nlu/whole';
import { Recognizer } from '../../src/nlu/recognizer';

const kb = loadKnowledge(path.join(__dirname, '../../knowledge'));
const rec = Recognizer.build(kb.entries);

describe('sentences', () => {
  test('split at . ? ! and line breaks, empty pieces dropped, at most max', () => {
    expect(sentences('Hi there. My boss is away!\nCan I go instead?')).toEqual(['Hi there.', 'My boss is away!', 'Can I go instead?']);
    expect(sentences('... ?? !!')).toEqual([]);
    expect(sentences('a. '.repeat(100), 12)).toHaveLength(12);
    // a dash between spaces ends one too; a hyphen inside a word or a number does not
    expect(sentences('before I key in the code - can I do it in the app?')).toEqual(['before I key in the code', 'can I do it in the app?']);
    expect(sentences('pro-rata for 012-345 6789 — ok')).toEqual(['pro-rata for 012-345 6789', 'ok']);
    // so does a colon after words before a question; one before values, or inside a time, only labels them
    expect(sentences('before I key in the code: how many times can I switch plans in a month?')).toEqual(['before I key in the code.', 'how many times can I switch plans in a month?']);
    expect(sentences('Email: aminah.abdullah@example.com')).toEqual(['Email: aminah.abdullah@example.com']);
    expect(sentences('kira prorata: 58 ke 80, tukar 11hb')).toEqual(['kira prorata: 58 ke 80, tukar 11hb']);
    expect(sentences('at 10:30 can I come?')).toEqual(['at 10:30 can I come?']);
    // a full stop inside an e-mail address or a version is no sentence's end
    expect(sentences('Her email is aminah.abdulah@example.com. ebiz v2.0 ok')).toEqual(['Her email is aminah.abdulah@example.com.', 'ebiz v2.0 ok']);
  });

  test('a run-on typed without any stop or comma is split before its clause openers (lexicon clauseOpeners)', () => {
    const openers = new Set(['tapi', 'sbb', 'kalau', 'but', 'if']);
    const runOn = 'atuk pakai line prepaid dah lama pakej lama yg murah tu sbb cucu kata dah tak jual tapi atuk nak tukar pakej baru kalau tukar boleh ke atuk balik';
    expect(sentences(runOn, 12, openers)).toEqual([
      'atuk pakai line prepaid dah lama pakej lama yg murah tu',
      'sbb cucu kata dah tak jual',
      'tapi atuk nak tukar pakej baru',
      'kalau tukar boleh ke atuk balik',
    ]);
    // without openers, or short, or with a stop or a comma anywhere, as before
    expect(sentences(runOn)).toEqual([runOn]);
    expect(sentences('kalau tukar boleh ke atuk balik tapi bila', 12, openers)).toEqual(['kalau tukar boleh ke atuk balik tapi bila']);
    const commas = `${runOn.replace(' sbb', ', sbb')}`;
    expect(sentences(commas, 12, openers)).toEqual([commas]);
    // at most max pieces, the rest in the last one
    expect(sentences(runOn, 2, openers)).toEqual(['atuk pakai line prepaid dah lama pakej lama yg murah tu', 'sbb cucu kata dah tak jual tapi atuk nak tukar pakej baru kalau tukar boleh ke atuk balik']);
  });

  test('the question at the end of a run-on is read as the question (real knowledge base)', () => {
    const dir = path.join(__dirname, '../../knowledge');
    const rec = Recognizer.build(loadKnowledge(dir).entries, undefined, loadKnowledgeLexicon(dir));
    for (const text of [
      'pakcik ni pakai line prepaid dah lama dari zaman anak2 sekolah lagi pakej lama yg murah tu cucu nak tolong tukarkan ke pakej baru yg banyak internet sbb pakcik nak tgk video kat facebook tapi pakcik risau pakej lama tu x boleh dapat balik sbb org kata dah x jual kalau tukar boleh ke patah balik',
      'i have used this prepaid number since my children were small and the old package is very cheap my grandson wants to move me to a new package with more internet for watching videos but people say the old one is not sold anymore if i change can i go back to it',
    ]) {
      const r = rec.match(text);
      expect([r.decision, r.candidates[0]?.entry.id]).toEqual(['answer', 'planswitch.old-plan-unavailable']);
      expect(r.candidates[0]!.score).toBeGreaterThan(0.8);
    }
  });
});

describe('textFeatures', () => {
  const dict = new Map<string, number>();
  const keys: FeatureKeys = { word: (f) => (f.startsWith('#') ? 1 : undefined), other: (s) => dict.get(s) ?? (dict.set(s, dict.size), dict.size - 1) };
  test('a message of any length gives at most MAX_MODEL_FEATURES features', () => {
    const words = Array.from({ length: 2000 }, (_, i) => `kata${i.toString(36)}x`);
    const v: FeatureVector = new Map();
    const mass = textFeatures(words.map((w) => `#${w}`), words, 1, v, keys);
    expect(v.size).toBeLessThanOrEqual(MAX_MODEL_FEATURES);
    expect(mass).toBeLessThanOrEqual(MAX_MODEL_FEATURES);
  });
  test('a feature keeps the highest weight it was given (the asking sentence over the story)', () => {
    const v: FeatureVector = new Map();
    textFeatures(['#a'], [], 0.5, v, keys, false);
    textFeatures(['#a'], [], 1, v, keys, false);
    textFeatures(['#a'], [], 0.5, v, keys, false);
    expect(v.get(1)).toBe(1);
  });
});

describe('WholeMessageModel', () => {
  test('learns which features tell the entries apart', () => {
    const m = new WholeMessageModel(2);
    const x = (...ks: number[]): FeatureVector => new Map(ks.map((k) => [k, 1]));
    m.add(0, x(1, 2));
    m.add(0, x(1, 3));
    m.add(1, x(1, 4));
    m.add(1, x(1, 5));
    m.train();
    expect(m.epochs).toBeGreaterThan(0);
    const s = m.score(x(2), 2, 1);
    expect(s.top[0].entry).toBe(0);
    expect(s.top[0].p).toBeGreaterThan(0.5);
    // a feature both entries hold says little
    const shared = m.score(x(1), 2, 1);
    expect(Math.abs(shared.top[0].p - shared.top[1].p)).toBeLessThan(0.2);
    // unknown features count in the norm: the known share falls
    expect(m.score(x(2, 99, 98, 97), 2, 4).known).toBeCloseTo(0.25);
  });
});

describe('long messages in the recognizer', () => {
  const decided = (text: string) => {
    const r = rec.match(text);
    return { decision: r.decision, top: r.candidates[0]?.entry.id };
  };

  test.each([
    ['Assalamualaikum tuan. Saya bercadang nak datang ke pejabat JUPEM negeri minggu depan untuk buat pendaftaran. Rumah saya jauh, saya tak nak datang dua kali. Apa dokumen yang saya kena bawa?', 'ebiz.counter-registration-documents'],
    ['Our office is in Johor Bahru and the owner never has time to go to the counter. We have a despatch guy who normally delivers documents for us. How can the company send him to buy data at the counter on our behalf?', 'ebiz.runner-purchase'],
    ['I have been on prepaid for years and topped up RM30 yesterday. My employer now pays for a postpaid plan so I am moving this week. Will the credit I just added move with me?', 'planswitch.prepaid-credit-carryover'],
  ])('%s', (text, id) => {
    expect(decided(text)).toEqual({ decision: 'answer', top: id });
  });

  test.each([
    [
      'Assalamualaikum cik. Saya kerani akaun di firma ukur. Dulu saya beli data kat eBiz yang lama, tapi sejak sistem baru ni saya x boleh masuk guna ID lama saya. Dah cuba reset pun x jalan. Boleh tolong saya tak?',
      'ebiz.login-old-user-id',
    ],
    [
      "Hi there. I used to buy survey data on the old eBiz for my firm, but since the new system came out my old user ID just won't let me in. I already tried resetting it. Can you help me?",
      'ebiz.login-old-user-id',
    ],
  ])('a story ending with a bare plea for help is read by the sentence that says what about: %s', (text, id) => {
    expect(decided(text)).toEqual({ decision: 'answer', top: id });
  });

  test.each([
    [
      'We run a small survey firm and buy maps on eBiz now and then. The account is still a regular one and my manager wants it upgraded to a main user. How does that work, can it be done without going anywhere?',
      'ebiz.upgrade-account',
    ],
    [
      'I want to get into the new eBiz with my old account. It asks me to confirm the e-mail I signed up with, but that was my work address and they closed it long ago. I cannot open it at all. What am I supposed to do now?',
      'ebiz.old-email-invalid',
    ],
  ])('a question that names nothing but points back ("how does that work", "what now") asks about the sentence before it: %s', (text, id) => {
    expect(decided(text)).toEqual({ decision: 'answer', top: id });
  });

  test.each([
    [
      "We're a GIS company planning to use several of JUPEM's online services for a state government project. Our procurement officer asked me which of these services need a digital licence before we can buy them, because she has to budget for it. I couldn't find a clear answer anywhere on the site. Could you tell me?",
      'ebiz.digital-licence-services',
    ],
    [
      'Syarikat kami nak guna beberapa perkhidmatan dalam talian JUPEM untuk projek kerajaan negeri. Pegawai perolehan tanya perkhidmatan mana yang perlukan lesen digital sebelum boleh beli. Sy dah cari merata dalam laman tu tapi tak jumpa. Boleh terangkan?',
      'ebiz.digital-licence-services',
    ],
  ])('a last question that only asks to be told ("Could you tell me?") asks about the last sentence that names something: %s', (text, id) => {
    expect(decided(text)).toEqual({ decision: 'answer', top: id });
  });

  test.each([
    ['Macam mana sebenarnya nak jadi Pengguna Utama ni?', 'ebiz.upgrade-account'],
    ['how do I become a main user?', 'ebiz.upgrade-account'],
    ['Please tell me how I can get into my account now.', 'ebiz.login-old-user-id'],
    ['I opened ticket TKT-20260402-0044 about a double charge. Please tell me where it stands now.', 'core.ticket-status'],
    ['Saya nak tengok semua ticket yang saya pernah buat', 'core.my-tickets'],
  ])('becoming a main user is an upgrade; getting into an account is logging in; where a ticket stands is its status: %s', (text, id) => {
    expect(decided(text)).toEqual({ decision: 'answer', top: id });
  });

  test.each([
    ["before I key in the code - if I'm allowed, can I do it in the app or must I go to a store?", 'planswitch.where-to-switch'],
    ['before I key in the code: how many times can I switch plans in a month?', 'planswitch.switch-limit-per-month'],
    ['alhamdulillah. kalau nak tukar tu kena pergi mana? boleh buat online je ke?', 'planswitch.where-to-switch'],
  ])('an aside before the question, or two questions in a row, are read by what they ask: %s', (text, id) => {
    expect(decided(text)).toEqual({ decision: 'answer', top: id });
  });

  test('a switch mid-cycle names the billing cycle (lexicon cycle): the bill of that switch is worked out', () => {
    expect(decided('how much will my bill be if I upgrade my plan mid-cycle?')).toEqual({ decision: 'answer', top: 'planswitch.prorata-calculator' });
  });

  test.each([
    [
      'Hi, my daughter has a prepaid line and keeps asking to move to another prepaid plan with more video data. She only reloads RM5 at a time, so her credit is always low near the end of the month. Does anything have to be in place before she can change, particularly about her credit?',
      'planswitch.conditions-prepaid-prepaid',
    ],
  ])('a story scoring between the thresholds whose first candidate leads clearly is answered: %s', (text, id) => {
    expect(decided(text)).toEqual({ decision: 'answer', top: id });
  });

  test.each([
    [
      'I am a university student on prepaid. My data is never enough for online classes, so I want to move to another prepaid plan with more quota. What should I make sure of before switching?',
      'planswitch.conditions-prepaid-prepaid',
    ],
    [
      'Saya guna prabayar sekarang dan bercadang nak beralih ke pascabayar bulan depan. Apa syarat-syarat yang perlu dipenuhi?',
      'planswitch.conditions-prepaid-postpaid',
    ],
  ])('a switch direction the story names (both line types, or one and another plan of it) decides between the conditions: %s', (text, id) => {
    const conditions = rec.match(text).candidates.map((c) => c.entry.id).filter((e) => e.startsWith('planswitch.conditions-'));
    expect(conditions[0]).toBe(id);
  });

  test('sentences: a clause that announces a question ends a sentence', () => {
    expect(sentences('sementara tunggu kod sms tu nak tanya, freebies hilang ke kalau sy tukar?')).toEqual(['sementara tunggu kod sms tu nak tanya.', 'freebies hilang ke kalau sy tukar?']);
    expect(sentences("quick question: if I'm not Malaysian what do I bring?")).toEqual(['quick question.', "if I'm not Malaysian what do I bring?"]);
    // a question word inside a clause is no announcement
    expect(sentences('nak tanya pasal bil, kenapa mahal?')).toEqual(['nak tanya pasal bil, kenapa mahal?']);
  });

  test.each([
    [
      'Salam. Sy ada buat aduan pasal akaun eBiz minggu lepas. Sy nak tahu aduan tu dah sampai peringkat mana. Bos pula asyik suruh sy beli data digital untuk tender minggu ni.',
      'core.ticket-status',
    ],
    [
      'Hello. Last week I raised a ticket about my eBiz account, reference TKT-20261101-0042. I would like to know who is handling it now. My boss keeps telling me to buy digital data for a new project.',
      'core.ticket-status',
    ],
  ])('a sentence that asks to be told a question it words is the story\'s question, without a question mark: %s', (text, id) => {
    const r = rec.match(text);
    expect(r.decision).not.toBe('fallback');
    expect(r.candidates[0]!.entry.id).toBe(id);
  });

  test('a story around an out-of-scope question is still declined', () => {
    const r = rec.match('I switched my plan last month and it went fine. Now I want to know, what is the weather in Penang tomorrow?');
    expect(r.decision).not.toBe('answer');
  });
});
