/**
 * Does a message ask for a person? Words from knowledge/lexicon.yaml (`handoff`): the whole message (after
 * short forms and politeness words) is one of the phrases ("human please", "pegawai"), or a short message
 * (at most 12 words) holds a verb of speaking or reaching and a word for a person ("nak cakap dengan orang",
 * "boleh saya bercakap dengan pegawai?", "talk to an agent"), or wants a person said to be real ("I need an actual
 * person"), or is a question naming a human ("Is there any human reading these chats?"); in a longer message, its
 * first or last sentence does, or the last words of a long last sentence
 * (in one of three sentences, any); a clause ends at a comma and where the request meets its subject ("I need to speak
 * to a staff member about changing my company representative on eBiz"). Bounded cost: at most 2,000 characters split, and 256 characters and 13 tokens
 * read per sentence (at most five sentences and clauses, and the last 12 words of the last sentence).
 * A question of what the bot is ("are you a human?") is none: the bot answers it (asksWhatTheBotIs).
 */
import { detectCommand } from './commands';
import { MAX_COMMAND_CHARS } from './detect';
import { type Lexicon, lexicon } from './lexicon';
import { TOPIC_BREAK, expandShortForms, maskIdentifiers, tokenize } from './normalize';

const MAX_WORDS = 12;
const CLAUSE_ENDS = new RegExp(`[,;]+\\s*|${TOPIC_BREAK.source}`, 'i');

export function isHumanRequest(text: string, lex: Lexicon = lexicon()): boolean {
  // (the whole message: "is there a human here or only bots? can I talk to them" asks for one)
  if (asksWhatTheBotIs(text, lex)) return false;
  if (text.length <= MAX_COMMAND_CHARS && asksForPerson(text, lex)) return true;
  // a story, then the request in a sentence of its own, first or last ("dah 3 kali sy try tukar pelan online tp x
  // jadi2, geram dah ni. sy nk cakap dgn orang, bkn bot"); a sentence that tells what was done ("sy dah cakap dgn
  // pegawai kaunter") asks for nothing
  // (or a clause of its own: "I don't want another form, I just want to speak to a human agent")
  // (each with its own end, so that a question is still one: "… for twenty minutes now. Surely there's a human somewhere?")
  const sentences = text.slice(0, MAX_STORY_CHARS).split(/(?<=[.!?])\s+|\n+/).map((x) => x.trim()).filter(Boolean);
  // (a clause ends at a comma, and where the request meets its subject: "I need to speak to a staff member about
  // changing my company representative on eBiz")
  const clauses = (x: string) => x.split(CLAUSE_ENDS).map((c) => c.trim()).filter(Boolean);
  const first = clauses(sentences[0] ?? '');
  const last = clauses(sentences[sentences.length - 1] ?? '');
  // (a long last sentence, by its last words: "penat dah sy taip benda sama berulang kali 😤 bagi la sy cakap dgn orang
  // betul")
  const lastWords = (sentences[sentences.length - 1] ?? '').split(/\s+/);
  if (lastWords.length > MAX_WORDS) {
    const tail = lastWords.slice(-MAX_WORDS).join(' ');
    if (tail.length <= MAX_COMMAND_CHARS && !TOLD.test(tail) && asksForPerson(tail, lex, true)) return true;
  }
  if (sentences.length < 2 && first.length < 2) return false;
  // (in a message of a few short sentences, any of them: "hmm ok. can I talk to a real person instead? need someone
  // to go through it with me")
  const middle = sentences.length <= MAX_SHORT_SENTENCES ? sentences.slice(1, -1) : [];
  const ends = [sentences[0]!, sentences[sentences.length - 1]!, first[0]!, last[last.length - 1]!, ...middle];
  return ends.some((x) => x.length <= MAX_COMMAND_CHARS && !TOLD.test(x) && asksForPerson(x, lex));
}

/** A message of at most this many sentences is read sentence by sentence for a request for a person. */
const MAX_SHORT_SENTENCES = 3;
/** The most characters of a message read for a request for a person in its first or last sentence. */
const MAX_STORY_CHARS = 2000;
/** Words that tell what was already done ("dah cakap dengan pegawai", "I spoke to an agent", "I asked to speak to an officer"). */
const TOLD = /\b(?:dah|sudah|telah|pernah|tadi|semalam|already|spoke|talked|called|was told|asked|tried|yesterday)\b/i;

/** How many words before a verb of speaking are read for the word that makes it asked for ("nak", "can I", "to"). */
const ASKED_WINDOW = 3;

/**
 * Whether the verb of speaking at k reports what someone said rather than asks for it: it opens no sentence (an
 * order: "talk to a human") and no word of wanting, asking or a modal stands in the few words before it ("kawan saya
 * kerja di JUPEM cakap ada elaun baru untuk kakitangan": a friend said, nobody asks to talk).
 */
function reported(tokens: readonly string[], k: number, lex: Lexicon, cut: boolean): boolean {
  if (k === 0 && !cut) return false;
  for (let i = Math.max(0, k - ASKED_WINDOW); i < k; i++) {
    const t = tokens[i]!;
    if (lex.handoff.wants.has(t) || lex.handoff.asking.has(t) || lex.requestWords.has(t) || lex.commands.politeness.has(t)) return false;
  }
  return true;
}


/** The words of a short text, short forms expanded; undefined when it has none or more than MAX_WORDS. */
function wordsOf(text: string, lex: Lexicon): { raw: string[]; tokens: string[] } | undefined {
  // an e-mail, a phone number are no words ("… email to kevin.ong@example.org": "org" is no "orang")
  const raw = tokenize(maskIdentifiers(text, lex).text, MAX_WORDS + 1).filter((t) => !t.startsWith('__'));
  if (raw.length === 0 || raw.length > MAX_WORDS) return undefined;
  return { raw, tokens: expandShortForms(raw, lex).flatMap((t) => t.split(' ')) };
}

/**
 * Does a short message ask what the bot is, a machine or a person ("are you a human?", "kau ni robot ke manusia
 * sebenarnya?", "is this a bot or a real person?")? Small talk about the bot that names either ("awak manusia ke"), or a
 * question naming both, with no verb of speaking, no wanting and no negation: "bukan bot, nak cakap dgn orang", "I
 * want a human, not a bot" ask for a person. Such a question is answered by the bot saying what it is and offering a
 * person (src/bot/supportBot.ts), not by putting the customer in the queue.
 */
export function asksWhatTheBotIs(text: string, lex: Lexicon = lexicon()): boolean {
  if (text.length > MAX_COMMAND_CHARS) return false;
  const words = wordsOf(text, lex);
  if (!words) return false;
  const { tokens } = words;
  const { verbs, persons, wants, humans, machines } = lex.handoff;
  const machine = tokens.some((t) => machines.has(t));
  const person = tokens.some((t) => persons.has(t) || humans.has(t));
  if (!machine && !person) return false;
  if (tokens.some((t) => verbs.has(t) || wants.has(t) || lex.negators.has(t))) return false;
  return (text.includes('?') && machine && person) || detectCommand(text, lex) === 'greeting';
}

/** `cut`: the text is the last words of a sentence, so its first word opens nothing (no order). */
function asksForPerson(text: string, lex: Lexicon, cut = false): boolean {
  const words = wordsOf(text, lex);
  if (!words) return false;
  const { raw, tokens } = words;
  const { phrases, verbs, persons, humans } = lex.handoff;
  if (phrases.has(raw.join(' ')) || phrases.has(tokens.join(' '))) return true;
  const polite = lex.commands.politeness;
  let start = 0;
  let end = tokens.length;
  while (start < end && polite.has(tokens[start]!)) start++;
  while (end > start && polite.has(tokens[end - 1]!)) end--;
  if (phrases.has(tokens.slice(start, end).join(' '))) return true;
  // (a question asks for it whatever words come before: "Saya tak faham. Bolehkah saya bercakap dengan pegawai?")
  const asked = text.includes('?');
  if (tokens.some((t, k) => verbs.has(t) && (asked || !reported(tokens, k, lex, cut))) && tokens.some((t) => persons.has(t))) return true;
  // (a question for a human: "Surely there's a human somewhere in your office?")
  if (asked && tokens.some((t) => humans.has(t))) return true;
  // wanting a person who is real ("I just want an actual person on the other end", "sy cuma nak orang sebenar"); wanting
  // "someone" alone is no request for one ("I need someone to explain the pro-rata")
  const { wants, genuine, machines, rejecting } = lex.handoff;
  if (tokens.some((t) => wants.has(t)) && tokens.some((t) => persons.has(t)) && tokens.some((t) => genuine.has(t))) return true;
  // a machine refused beside a want or a person ("nk cakap dgn orang bkn mesin", "orang yang boleh bantu, bukan jawapan
  // automatik"); "awak bukan robot ke?" asks what the bot is and names neither
  const refused = tokens.some((t, k) => machines.has(t) && tokens.slice(Math.max(0, k - 2), k).some((w) => rejecting.has(w)));
  return refused && tokens.some((t) => wants.has(t) || persons.has(t) || humans.has(t));
}
