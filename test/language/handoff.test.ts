/**
 * Asking for a person (src/language/handoff.ts): words of the lexicon, never the parts of an e-mail or a number; in a
 * longer message, its first or last sentence.
 */
import { asksWhatTheBotIs, isHumanRequest } from '../../src/language/handoff';

describe('isHumanRequest', () => {
  test.each([
    ['talk to a human', true],
    ['can I talk to a real person pls', true],
    ['boleh saya bercakap dengan pegawai?', true],
    ['nak cakap dengan orang', true],
    ['pegawai', true],
    // "org" of an address is a short form of "orang" as a word, not inside an e-mail
    ['change the contact email to kevin.ong@example.org', false],
    ['tukar emel hubungan ke siti@contoh.org', false],
    ['contact me at ali@example.org', false],
    ['how do I upgrade my account', false],
    // a story, then the request in a sentence of its own (first or last); a sentence that tells what was done asks nothing
    ['dah 3 kali sy cuba tukar pelan online tp x jadi, geram dah ni. sy nk cakap dgn orang, bukan bot', true],
    ['Please connect me to a staff member. I tried to buy data three times and the payment failed every time.', true],
    ['Saya dah cakap dengan pegawai kaunter semalam. Dia suruh isi borang. Borang tu kat mana?', false],
    ['I spoke to an agent yesterday. They said my ticket is open. What is its status?', false],
    ['My new contact is kevin.ong@example.org. Please update it.', false],
    // in a message of a few sentences, the request may stand in the middle; in a longer story only first or last counts
    ['hmm ok. can I talk to a real person instead? need someone to go through it with me', true],
    ['ok faham. boleh sy cakap dengan pegawai? nak tanya lagi sikit', true],
    ['I went to the counter. I asked to speak to an officer there. How do I upgrade online now?', false],
    ['Saya ke kaunter. Saya cakap dengan pegawai tadi tapi dia tak tahu. Boleh upgrade online?', false],
    ['dah cuba macam-macam. boleh tolong sambungkan saya dengan pegawai? penat dah', true],
    // a machine refused beside a want or a person asks for one; a question of whether the bot is one does not
    ['sy nk cakap dgn orang bkn mesin tlg', true],
    ['Emel saya tak berjawab. Saya perlukan orang yang betul-betul boleh bantu, bukan jawapan automatik.', true],
    ['I want someone who can actually help, not another automated reply', true],
    ['awak bukan robot ke?', false],
    ['the bot said my line is not eligible, why?', false],
    // the request for a person, then its subject after "about" / "pasal": the request is a clause of its own
    ['I need to speak to a staff member about changing my company representative on eBiz', true],
    ['sy nak bercakap dgn pegawai pasal tukar wakil syarikat dalam akaun eBiz kami yang lama', true],
    ['I asked to talk to a staff member about changing my company representative on eBiz last week', false],
    // wanting a person said to be real; wanting "someone", or "live" and "betul" beside an officer, is not
    ['Half an hour going back and forth with this bot. I just need an actual person to sort it out.', true],
    ['dah penat taip benda sama. sy nak orang sebenar je', true],
    ['I need someone to explain the pro-rata bill to me', false],
    ['I live in Ipoh and need an officer at the counter to verify my IC', false],
    ['sy nak tahu betul ke pegawai kaunter kata kena bawa SSM', false],
    // a question for a human, also as the last sentence of a story; a human named in a statement asks nothing
    ['This is the third time I have typed the same thing. Is there any human reading these chats?', true],
    ['ada manusia tak kat sana? bot ni asyik bagi jawapan sama', true],
    ['Human error on my side, I picked the wrong plan. Can I switch again this month?', false],
    // a long last sentence, by its last words: a request for a person at its end; a friend who spoke to one asks nothing
    ['dah setengah jam sy pusing2 dlm chat ni taip benda sama je tolong bagi sy bercakap dgn pegawai', true],
    ['my runner went to the JUPEM counter this morning and my colleague there says he spoke with an officer already', false],
    // what someone else said is reported, not asked for; an order or a verb after a word of wanting is asked
    ['kawan saya kerja di JUPEM cakap ada syarat baru untuk kakitangan, betul ke', false],
    ['my colleague talked to an officer and got a different answer', false],
    ['sy perlu bercakap dgn pegawai', true],
    ['Saya tak faham kenapa. Bolehkah saya bercakap dengan pegawai?', true],
    ['ish x dpt2. bagi sy ckp dgn org la', true],
    ['hubungi pegawai', true],
    // Kelantan forms: kecek (cakap), ore (orang), nga (dengan)
    ['mok tok reti guna bendo ni. mok nok kecek nga ore', true],
    // what the bot is, asked, is no request for a person (the bot says it is one and offers a person); a request said
    // with it, or a machine refused, is
    ['are you a human?', false],
    ['kau ni robot ke manusia sebenarnya?', false],
    ['is this a bot or a real person?', false],
    ['awak manusia ke', false],
    ['is this a bot? I need a real person', true],
    ['bukan bot, nak cakap dgn orang', true],
    ['I want a human, not a bot', true],
    ['is there a human here or only bots? can I talk to them', true],
  ] as const)('%s -> %s', (text, human) => {
    expect(isHumanRequest(text)).toBe(human);
  });
});

describe('asksWhatTheBotIs', () => {
  test.each([
    ['are you a human?', true],
    ['am I chatting with a robot or a real human?', true],
    ['kau ni robot ke manusia sebenarnya?', true],
    ['awak ni bot ke orang?', true],
    ['awak robot ke', true],
    // a person or a machine named, but a request, a refusal or no question of what the bot is
    ['talk to a human', false],
    ['bot ni tak faham, nak cakap dgn manusia', false],
    ['not a bot please, a human', false],
    ['the bot gave me the wrong answer yesterday', false],
    ['is there anyone at the counter on Saturday?', false],
    ['hi', false],
  ] as const)('%s -> %s', (text, asks) => {
    expect(asksWhatTheBotIs(text)).toBe(asks);
  });
});
