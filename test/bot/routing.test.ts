/**
 * SupportBot's routing, turn by turn, in both languages: answers, clarification, honest fallback,
 * incomplete entries, global commands, the language switch, and the error path.
 */
import { createTestChat, joined, type TestChat } from '../helpers/bot';

describe('SupportBot routing', () => {
  let chat: TestChat;
  beforeEach(async () => {
    chat = await createTestChat({ features: () => [] });
  });
  afterEach(async () => chat.close());

  test('answers in the language of the question, whatever the locale says', async () => {
    const ms = await chat.say('camne nk upgrade akaun ebiz');
    expect(joined(ms)).toContain('kaunter JUPEM');
    const en = await chat.say('will my prepaid balance carry over to postpaid');
    expect(joined(en)).toContain('RM100');
    expect(joined(en)).toMatch(/credit/i);
  });

  test('an answer offers its follow-ups as buttons, and a pressed button answers that entry', async () => {
    const first = await chat.say('how do I upgrade my ebiz account');
    expect(first[0]!.buttons.length).toBeGreaterThan(0);
    const next = await chat.press(1);
    expect(next[0]!.text.length).toBeGreaterThan(20);
    expect(next[0]!.text).not.toBe(first[0]!.text);
  });

  test('follow-up buttons show the entries\' short labels in the customer\'s language, never a cut question', async () => {
    const kb = chat.runtime.knowledge;
    const upgrade = kb.byId.get('ebiz.upgrade-account')!;
    for (const [lang, text] of [['en', 'how do I upgrade my ebiz account'], ['ms', 'camne nk upgrade akaun ebiz']] as const) {
      const said = await chat.say(text);
      const expected = upgrade.followups.map((id) => kb.byId.get(id)!.label[lang]);
      expect(said[0]!.buttons).toEqual(expect.arrayContaining(expected));
      for (const title of said[0]!.buttons) expect(title).not.toMatch(/…$/);
    }
  });

  test('each seed question asked verbatim reaches its entry', async () => {
    for (const entry of chat.runtime.knowledge.entries.filter((e) => e.pack === 'ebiz')) {
      const said = await chat.say(entry.question.ms);
      if (entry.status === 'incomplete') {
        expect(joined(said)).toContain('belum ada jawapan lengkap');
      } else {
        expect(joined(said)).toContain(entry.answer!.ms.slice(0, 40));
      }
    }
  });

  test('an incomplete entry is never shown as an answer: an honest reply and a ticket offer', async () => {
    const said = await chat.say('Bolehkan semua pengguna memohon remit?');
    expect(joined(said)).toContain('belum ada jawapan lengkap');
    expect(said[0]!.buttons).toEqual(['Buat tiket']);
    const en = await chat.say('can every user apply for remit?');
    expect(joined(en)).toContain("don't have the full answer");
  });

  test('out of scope: an honest fallback in the customer language, recorded with personal data masked', async () => {
    const ms = await chat.say('resepi nasi lemak sedap, ic saya 900101-14-5678');
    expect(joined(ms)).toContain('tidak pasti');
    expect(ms[0]!.buttons).toEqual(['Buat tiket', 'Menu utama']);
    const en = await chat.say("what's the weather in Ipoh tomorrow?");
    expect(joined(en)).toContain("I'm not sure");
    const rows = await chat.runtime.unanswered.list();
    expect(rows.map((r) => r.lang).sort()).toEqual(['en', 'ms']);
    expect(JSON.stringify(rows)).not.toContain('900101');
    expect(rows.find((r) => r.lang === 'ms')!.text).toContain('••••');
  });

  test('a decline near a topic known offers it as the first button, and the button answers it; none for a topic named out of scope', async () => {
    for (const [lang, text, label, answer] of [
      ['en', 'The map sheet we want is marked restricted. So somebody has to drive to Putrajaya?', 'Restricted data', 'apply online'],
      ['ms', 'helaian peta yang kami nak tu bertanda terhad. maksudnya kena drive ke Putrajaya la?', 'Data terhad online', 'dalam talian'],
    ] as const) {
      const said = await chat.say(text);
      expect({ lang, said: joined(said) }).toEqual({ lang, said: chat.runtime.catalog.t(lang, 'fallback.suggest') });
      expect(said[0]!.buttons).toEqual([label, lang === 'ms' ? 'Buat tiket' : 'Raise a ticket', lang === 'ms' ? 'Menu utama' : 'Main menu']);
      expect(joined(await chat.press(1))).toContain(answer);
    }
    // (moving a billing cycle's date is named out of scope: nothing near is offered)
    const named = await chat.say('boleh tak tukar tarikh kitaran bil saya?');
    expect(named[0]!.buttons).toEqual(['Buat tiket', 'Menu utama']);
  });

  test('global commands in both languages', async () => {
    expect(joined(await chat.say('menu'))).toMatch(/Apa yang boleh saya bantu|What can I help/);
    expect(joined(await chat.say('batal'))).toContain('Tiada apa-apa untuk dibatalkan');
    expect(joined(await chat.say('cancel'))).toContain('nothing to cancel');
    expect(joined(await chat.say('help'))).toContain('Ask me in your own words');
    expect(joined(await chat.say('terima kasih'))).toContain('Sama-sama');
  });

  test('"English" and "BM" switch the language and it sticks for ambiguous messages', async () => {
    expect(joined(await chat.say('English please'))).toBe("OK, I'll reply in English.");
    expect(joined(await chat.say('menu'))).toBe('What can I help you with?');
    expect(joined(await chat.say('BM'))).toBe('Baik, saya akan menjawab dalam Bahasa Melayu.');
    expect(joined(await chat.say('menu'))).toBe('Apa yang boleh saya bantu?');
  });

  test('"hai", "assalamualaikum", "selamat pagi" get a Malay greeting though the page says English', async () => {
    for (const text of ['hai', 'assalamualaikum', 'selamat pagi', 'Selamat petang']) {
      expect({ text, said: joined(await chat.say(text, { locale: 'en-US' })) }).toEqual({ text, said: 'Hai! Apa yang boleh saya bantu hari ini?' });
    }
    // "hi" is typed alike in both languages: the customer's last language decides, not the page's
    expect(joined(await chat.say('hi', { locale: 'en-US' }))).toBe('Hai! Apa yang boleh saya bantu hari ini?');
    expect(joined(await chat.say('good morning', { locale: 'ms-MY' }))).toBe('Hi! How can I help you today?');
    expect(joined(await chat.say('hi', { locale: 'ms-MY' }))).toBe('Hi! How can I help you today?');
  });

  test('a language named in a message switches, and every later reply follows it until another is named', async () => {
    expect(joined(await chat.say('BM boleh?'))).toBe('Baik, saya akan menjawab dalam Bahasa Melayu.');
    // English words now get Malay replies: the customer asked for Malay
    expect(joined(await chat.say('how do I upgrade my ebiz account'))).toContain('kaunter JUPEM');
    // (right after an answer, the answer is given again in the language asked for)
    const switched = joined(await chat.say('in English please'));
    expect(switched).toContain("OK, I'll reply in English.");
    expect(switched).toContain('JUPEM counter');
    // a Malay question is understood as Malay and answered in English
    expect(joined(await chat.say('camne nk upgrade akaun ebiz'))).toContain('JUPEM counter');
    expect(joined(await chat.say('hai'))).toBe('Hi! How can I help you today?');
    expect(joined(await chat.say('cakap melayu je'))).toBe('Baik, saya akan menjawab dalam Bahasa Melayu.');
    expect(joined(await chat.say('menu'))).toBe('Apa yang boleh saya bantu?');
  });

  test('a failing turn apologises in the customer language and the bot keeps working', async () => {
    const original = chat.runtime.recognizer.match.bind(chat.runtime.recognizer);
    chat.runtime.recognizer.match = () => {
      throw new Error('boom for 900101-14-5678');
    };
    const said = await chat.say('macam mana nak daftar akaun');
    expect(joined(said)).toBe('Maaf, ada masalah di pihak saya. Sila cuba lagi sebentar lagi.');
    chat.runtime.recognizer.match = original;
    expect(joined(await chat.say('camne nk upgrade akaun'))).toContain('kaunter JUPEM');
    const logged = chat.logs.join('');
    expect(logged).toContain('turn failed');
    expect(logged).not.toContain('900101-14-5678');
  });
});

describe('the chat page language toggle', () => {
  test('a setLanguage event sets the language that ambiguous messages get', async () => {
    const chat = await createTestChat({ features: () => [] });
    try {
      const said = await chat.say('', { type: 'event', name: 'setLanguage', value: 'en' } as never);
      expect(joined(said)).toBe("OK, I'll reply in English.");
      expect(joined(await chat.say('menu'))).toBe('What can I help you with?');
      const bad = await chat.say('', { type: 'event', name: 'setLanguage', value: 'fr' } as never);
      expect(bad).toEqual([]);
    } finally {
      await chat.close();
    }
  });
});
