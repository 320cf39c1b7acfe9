/**
 * Global interruptions and small talk, both languages, as typed: cancel, help, menu, greeting, thanks,
 * yes, no and the language switches. Small talk about the bot ("how are you", "are you a robot") is a greeting. A command is recognised only when the WHOLE message is that command
 * ("batal", "cancel la", "ok tq", "ya", "x nak"); "cancel my plan" is a question, not a command.
 */
import type { Lexicon } from './lexicon';
import { lexicon } from './lexicon';
import { MAX_COMMAND_CHARS, explicitSwitch } from './detect';
import type { AnalysedText } from './normalize';
import { asAnalysedText } from './normalize';

export type Command = 'cancel' | 'help' | 'menu' | 'greeting' | 'thanks' | 'yes' | 'no' | 'switch-ms' | 'switch-en';

/** Order matters where phrases overlap: "ok terima kasih" is thanks, "ok" alone is yes. */
const ORDER: Array<Exclude<Command, 'switch-ms' | 'switch-en'>> = ['cancel', 'help', 'menu', 'thanks', 'greeting', 'no', 'yes'];

function lookup(phrase: string, lex: Lexicon): Command | null {
  if (!phrase) return null;
  for (const c of ORDER) {
    if (lex.commands[c].has(phrase)) return c;
    // small talk about the bot ("how are you", "siapa nama awak", "are you a robot") is met like a greeting:
    // the bot says hello and what it can help with, instead of matching a knowledge entry
    if (c === 'greeting' && lex.commands.smalltalk.has(phrase)) return 'greeting';
  }
  return null;
}

/** true when the whole message is a greeting, small talk or thanks: a social turn, not a question for the knowledge. */
export function isSocial(text: string | AnalysedText, lex?: Lexicon): boolean {
  const c = detectCommand(text, lex);
  return c === 'greeting' || c === 'thanks';
}

export function detectCommand(text: string | AnalysedText, lex?: Lexicon): Command | null {
  // a command is a few words: a long message is none (and is not analysed to find out)
  if ((typeof text === 'string' ? text : text.text).length > MAX_COMMAND_CHARS) return null;
  const input = asAnalysedText(text, lex ?? (typeof text === 'string' ? lexicon() : text.lex));
  lex = input.lex;
  const sw = explicitSwitch(input);
  if (sw) return sw === 'ms' ? 'switch-ms' : 'switch-en';
  const raw = input.tokens;
  if (raw.length === 0 || raw.length > 8) return null;
  const tokens = input.expanded;
  for (const phrase of [raw.join(' '), tokens.join(' ')]) {
    const c = lookup(phrase, lex);
    if (c) return c;
  }
  // politeness and particles around the command: "cancel la", "tolong batal", "ok tq", "thanks ya"
  const polite = lex.commands.politeness;
  let start = 0;
  let end = tokens.length;
  while (start < end && polite.has(tokens[start])) start++;
  // a phrase that ends in a politeness word of its own ("actually cancel for now": "now")
  const opened = lookup(tokens.slice(start).join(' '), lex);
  if (opened) return opened;
  while (end > start && polite.has(tokens[end - 1])) end--;
  const core = tokens.slice(start, end).join(' ');
  const c = lookup(core, lex);
  if (c) return c;
  // thanks for something ("terima kasih atas bantuan anda", "thanks for your help")
  const question = /\?/.test(input.text);
  for (let n = Math.min(4, end - start - 1); n >= 1 && !question; n--) {
    if (lookup(tokens.slice(start, start + n).join(' '), lex) === 'thanks' && lex.commands.thanksFor.has(tokens[start + n]!)) return 'thanks';
  }
  // a cancel phrase and what it cancels ("cancel the calculation", "batalkan aduan tu", "never mind the ticket", "tak
  // jadi la tiket tu")
  const named = tokens.slice(start, end);
  // (a request taken back, "x payah aduan", "no need for a complaint", is not a cancel: the router reads what it asks
  // instead, "x payah aduan. IC sy 850312-14-5672" is the migration)
  for (let n = 1; n <= 2 && n < named.length; n++) {
    const rest = named.slice(n).filter((t) => !polite.has(t));
    const phrase = named.slice(0, n).join(' ');
    const takesBack = n === 2 && (lex.requestNegations.has(phrase) || lex.requestNegationsAfter.has(phrase));
    if (rest.length >= 1 && rest.length <= 3 && !takesBack && lookup(phrase, lex) === 'cancel' && rest.every((t) => lex.commands.cancelObjects.has(t))) return 'cancel';
  }
  // repeated words ("ok ok", "thanks thanks", "ya ya")
  const uniq = [...new Set(tokens.slice(start, end))];
  if (uniq.length === 1) return lookup(uniq[0], lex);
  return phrasesOfOneCommand(tokens.slice(start, end), lex);
}

/** The longest command phrase tried when a message is read as several phrases (commands are a few words). */
const MAX_PHRASE_WORDS = 4;

/**
 * A message made of several phrases of one command, politeness between them: "x pe la tak jadi", "tak jadi la
 * batal", "never mind, cancel" (cancel); "ok tq, terima kasih banyak" (thanks). Read greedily from the left, the
 * longest phrase first: at most 8 words × 4 lengths, a bounded cost. Yes phrases together are yes ("yes agree", "ok
 * boleh"); no is left out, and "ya tak" (one of each) is no answer.
 */
function phrasesOfOneCommand(tokens: readonly string[], lex: Lexicon): Command | null {
  let found: Command | null = null;
  let phrases = 0;
  for (let i = 0; i < tokens.length; ) {
    if (lex.commands.politeness.has(tokens[i]!)) {
      i++;
      continue;
    }
    let matched = 0;
    for (let n = Math.min(MAX_PHRASE_WORDS, tokens.length - i); n >= 1 && matched === 0; n--) {
      const c = lookup(tokens.slice(i, i + n).join(' '), lex);
      if (c === null) continue;
      if (c === 'no' || (found !== null && c !== found)) return null;
      found = c;
      matched = n;
    }
    if (matched === 0) return null;
    phrases++;
    i += matched;
  }
  return phrases >= 2 ? found : null;
}

/** How many clauses of a message are looked at for a cancel of their own (bounded cost on any text). */
const CANCEL_SEARCH_CLAUSES = 8;

/**
 * Whether a clause of the message, on its own, is a cancel ("eh tak jadi, baru check dah masuk. batal je"): how a
 * cancel is told from a description that merely holds the words ("bayaran saya tak jadi" = the payment failed).
 */
export function cancelClauseIn(input: AnalysedText): boolean {
  return commandClauseIn(input, 'cancel');
}

/** The most words of a clause in which a customer says what they will do themselves (a bounded cost on any text). */
const SELF_ACTION_MAX_WORDS = 12;

/**
 * Whether a clause of the message says the customer will do it themselves ("ok nanti sy hubungi khidmat pelanggan.
 * tq", "I'll call them myself"): a speaker, a word of later or of oneself and a way of reaching someone (lexicon
 * selfAction), in a clause of at most SELF_ACTION_MAX_WORDS words, and nothing asked ("?", selfAction.unless: "tolong",
 * "please").
 * Such a message asks nothing of the bot: an offer of a ticket so answered is declined.
 */
export function doesItThemselves(input: AnalysedText): boolean {
  const lex = input.lex;
  const { subjects, markers, verbs, unless } = lex.selfAction;
  if (subjects.size === 0 || input.text.includes('?') || input.text.length > MAX_COMMAND_CHARS * 2) return false;
  const clauses = input.text.split(/[,.;!\n]+/, CANCEL_SEARCH_CLAUSES);
  return clauses.some((clause) => {
    const analysed = asAnalysedText(clause, lex);
    const written = clause.toLowerCase().replace(/’/g, "'").replace(/[^\p{L}\p{N}'\s-]/gu, '').split(/\s+/).filter(Boolean);
    if (written.length === 0 || written.length > SELF_ACTION_MAX_WORDS) return false;
    const words = new Set([...written, ...analysed.expanded]);
    const has = (set: ReadonlySet<string>) => [...words].some((w) => set.has(w));
    return has(subjects) && has(markers) && has(verbs) && !has(unless);
  });
}

/**
 * Whether a clause says the customer does it on their own ("sy nk kira sendiri je. bagi formula …", "I'd rather work it
 * out myself"): a speaker and a word of oneself (lexicon selfAction.subjects, selfAction.oneself), nothing asked of the
 * bot (selfAction.unless). Such a clause asks for no procedure, whatever its action.
 */
export function doesItOnOwn(input: AnalysedText): boolean {
  const { subjects, oneself, unless } = input.lex.selfAction;
  const words = new Set([...input.tokens, ...input.expanded]);
  const has = (set: ReadonlySet<string>) => [...words].some((w) => set.has(w));
  return has(subjects) && has(oneself) && !has(unless);
}

/**
 * Whether a clause of the message, on its own, is thanks ("Got it, thanks!", "ok tq, nnt sy banding dgn bil"): with
 * no question in it, a customer closing the conversation.
 */
export function thanksClauseIn(input: AnalysedText): boolean {
  return commandClauseIn(input, 'thanks');
}

/**
 * Whether the message only says goodbye: thanks in a clause of its own, and every other clause thanks, a greeting
 * said on leaving ("selamat petang"), a phrase of leaving (lexicon leaving: "tu je", "that's all", "bye") or
 * politeness, with at least one such farewell ("ok tu je. terima kasih byk2, selamat petang"). A bare "ok tq" is
 * not leaving: said while a code is on its way, the customer is still there.
 */
export function leavingOnly(input: AnalysedText): boolean {
  const lex = input.lex;
  if (input.text.length > MAX_COMMAND_CHARS) return false;
  const clauses = input.text.split(/[,.;!?\n]+/).map((c) => c.trim()).filter(Boolean);
  if (clauses.length === 0 || clauses.length > CANCEL_SEARCH_CLAUSES) return false;
  let thanks = false;
  let farewell = false;
  for (const clause of clauses) {
    const command = detectCommand(clause, lex);
    if (command === 'thanks') {
      thanks = true;
      continue;
    }
    const analysed = asAnalysedText(clause, lex);
    const words = analysed.tokens.filter((t) => !lex.commands.politeness.has(t));
    // politeness before the phrase ("ok tu je") or anywhere ("bye la")
    const afterPolite = (all: readonly string[]) => all.slice(Math.max(0, all.findIndex((t) => !lex.commands.politeness.has(t))));
    // and as written ("that's all": the tokenizer keeps "that", "all")
    const written = clause.toLowerCase().replace(/[^\p{L}\p{N}'’\s-]/gu, '').split(/\s+/).filter(Boolean);
    const phrases = [analysed.tokens, words, afterPolite(analysed.tokens), afterPolite(analysed.expanded), analysed.expanded.filter((t) => !lex.commands.politeness.has(t)), written, afterPolite(written)].map((w) => w.join(' '));
    if (phrases.some((p) => lex.leaving.has(p))) farewell = true;
    else if (command === 'greeting') farewell = true;
    else if (words.length > 0) return false;
  }
  return thanks && farewell;
}

/**
 * Whether the message is a "what if" about the result just given (lexicon whatIf: "kalau … pulak", "what if … instead",
 * "pelan & kitaran sama"): a phrase of up to three words, as written or with short forms expanded.
 */
/**
 * Whether a message opens by asking the bot to wait ("hmm kejap sy tgk bil lama", "hold on, let me find the bill"):
 * one of the lexicon's holdOn phrases (up to three words) as its first words, after interjections ("hmm", "eh", "ok").
 */
export function holdsOn(input: AnalysedText): boolean {
  return holdOnEnd(input) !== undefined;
}

/** Where the opening that asks the bot to wait ends, in the words it was found in; undefined when there is none. */
function holdOnEnd(input: AnalysedText): { seq: readonly string[]; end: number } | undefined {
  const lex = input.lex;
  if (lex.holdOn.size === 0) return undefined;
  for (const seq of [input.tokens, input.expanded]) {
    let i = 0;
    while (i < seq.length && i < 3 && lex.commands.politeness.has(seq[i]!) && !lex.holdOn.has(seq[i]!)) i++;
    for (let n = 3; n >= 1; n--) if (i + n <= seq.length && lex.holdOn.has(seq.slice(i, i + n).join(' '))) return { seq, end: i + n };
  }
  return undefined;
}

/**
 * Whether a message that asks the bot to wait goes on to tell what the customer does meanwhile ("hmm kejap sy tgk bil
 * lama", "hold on, I'm finding the old bill", "wait let me check"): a speaker, or another word of waiting, right after
 * the opening. It asks the knowledge nothing, whatever its other words name.
 */
export function holdsOnToDo(input: AnalysedText): boolean {
  const at = holdOnEnd(input);
  if (!at) return false;
  const lex = input.lex;
  let k = at.end;
  while (k < at.seq.length && lex.commands.politeness.has(at.seq[k]!)) k++;
  const next = at.seq[k];
  return next !== undefined && (lex.speakers.has(next) || lex.holdOn.has(next) || lex.holdOn.has(at.seq.slice(k, k + 2).join(' ')) || lex.holdOn.has(at.seq.slice(k, k + 3).join(' ')));
}

/** The most words of an opening that asks the bot to wait before a question ("jap,", "hang on,", "tunggu kejap,"). */
const HOLD_ON_OPENING_WORDS = 3;

/**
 * The question after an opening that only asks the bot to wait ("jap, formula dia mcm mana sebenarnya?", "hang on,
 * what's the formula actually?"): the opening's words are no part of what is asked. Undefined when the message does not
 * open so, or what follows asks nothing ("kejap, sy tgk bil lama" is the customer asking the bot to wait).
 */
export function questionAfterHoldOn(input: AnalysedText): string | undefined {
  const m = /^([^,.;!?\n]{1,40})[,.;!\n]+\s*(\S[\s\S]*)$/u.exec(input.text.trim().slice(0, 600));
  if (!m) return undefined;
  const opening = asAnalysedText(m[1]!, input.lex);
  const words = opening.tokens.filter((t) => !input.lex.commands.politeness.has(t) || input.lex.holdOn.has(t));
  if (words.length === 0 || words.length > HOLD_ON_OPENING_WORDS || !holdsOn(opening)) return undefined;
  if (!input.lex.holdOn.has(words.join(' '))) return undefined;
  const rest = asAnalysedText(m[2]!, input.lex);
  const [first = '', second] = rest.tokens;
  const asks = m[2]!.includes('?') || input.lex.questionStarts.has(first) || (second !== undefined && input.lex.questionStarts.has(`${first} ${second}`));
  return asks ? m[2]! : undefined;
}

export function asksWhatIf(input: AnalysedText): boolean {
  const phrases = input.lex.whatIf;
  if (phrases.size === 0) return false;
  for (const seq of [input.tokens, input.expanded]) {
    for (let i = 0; i < seq.length; i++) {
      for (let n = 1; n <= 3 && i + n <= seq.length; n++) if (phrases.has(seq.slice(i, i + n).join(' '))) return true;
    }
  }
  return false;
}

/** Whether one of the message's first CANCEL_SEARCH_CLAUSES clauses is, on its own, `command`. */
function commandClauseIn(input: AnalysedText, command: Command): boolean {
  const parts = input.text.split(/([,.;!?\n]+)/).slice(0, CANCEL_SEARCH_CLAUSES * 2);
  for (let i = 0; i < parts.length; i += 2) if (clauseCommand(parts, i, input.lex) === command) return true;
  return false;
}

/** How far into a clause its condition or time word is looked for (the first three words: "tapi bila …", "and every time …", "0 dan bila …" after "v2.0"). */
const CONDITION_OPENING_WORDS = 3;

/**
 * The command clause `i` of `parts` (clauses at even indexes, their separators between) is on its own, or null. A
 * clause that ends a sentence opened by a condition or a time (lexicon commands.conditions, with at least two more
 * words) is what happens then, not a command: "bila saya masukkan ID lama, tak jadi" (it did not work), "kalau kena
 * bayar, batal je" (not now). "kalau boleh, batalkan" is still one.
 */
function clauseCommand(parts: readonly string[], i: number, lex: Lexicon): Command | null {
  const clause = parts[i]!;
  if (clause.trim() === '') return null;
  const command = detectCommand(clause, lex);
  if (command === null || i < 2 || /[^,\s]/.test(parts[i - 1]!)) return command;
  return opensCondition(parts[i - 2]!, lex) ? null : command;
}

/**
 * Whether a clause opens a condition or a time (lexicon commands.conditions in its first words, with at least two more
 * words): "bila saya masukkan ID lama", "if I switch to prepaid and later port out", not "kalau boleh".
 */
export function opensCondition(clause: string, lex: Lexicon): boolean {
  const words = (clause.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 40).map((w) => lex.shortForms.get(w)?.join(' ') ?? w).join(' ').split(' ');
  for (let k = 0; k < Math.min(CONDITION_OPENING_WORDS, words.length); k++) {
    // "kalau macam tu, buat tiket la", "if so, …": the condition is what was said before, this is what to do then
    const rest = words.slice(k).join(' ');
    if ([...lex.commands.conditionsThen].some((p) => rest === p || rest.startsWith(`${p} `))) return false;
    for (const n of [2, 1]) {
      if (lex.commands.conditions.has(words.slice(k, k + n).join(' ')) && words.length - k - n >= 2) return true;
    }
  }
  return false;
}

/**
 * Whether clause `i` of `clauses` (read in that order from `text`) is said under a condition: it opens one, or it
 * follows one in the same sentence, only a comma between ("kalau tukar postpaid, semua boleh bawa ke?", "If I switch to
 * prepaid and later port out, can I keep the same number?"). Such a clause asks what would happen, not for something
 * to be done now.
 */
export function underCondition(text: string, clauses: readonly string[], i: number, lex: Lexicon): boolean {
  const clause = clauses[i]!;
  if (opensCondition(clause, lex)) return true;
  if (i === 0) return false;
  const previous = clauses[i - 1]!;
  const end = text.indexOf(previous) + previous.length;
  const start = text.indexOf(clause, end);
  return end >= previous.length && start >= end && /^[,\s]*$/.test(text.slice(end, start)) && text.slice(end, start).includes(',') && opensCondition(previous, lex);
}

/**
 * What the message says after its last cancel clause ("ohh max RM100 je. takpe la, rugi sikit je. line sy boleh tukar
 * ke postpaid x? 013-100 0003" → "rugi sikit je. line sy …"); the whole message when it has none.
 */
export function afterCancelClauses(input: AnalysedText): string {
  const parts = input.text.split(/([,.;!?\n]+)/).slice(0, CANCEL_SEARCH_CLAUSES * 2);
  let last = -1;
  for (let i = 0; i < parts.length; i += 2) if (clauseCommand(parts, i, input.lex) === 'cancel') last = i;
  return last < 0 ? input.text : parts.slice(last + 2).join('').trim();
}

/**
 * The message without its cancel clauses ("actually never mind, can you tell me how to upgrade …" → "can you tell
 * me how to upgrade …"): what the customer asks once the procedure is dropped. Empty when nothing else is said.
 */
export function withoutCancelClauses(input: AnalysedText): string {
  const parts = input.text.split(/([,.;!?\n]+)/).slice(0, CANCEL_SEARCH_CLAUSES * 2);
  const kept: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const clause = parts[i]!;
    if (clause.trim() === '' || clauseCommand(parts, i, input.lex) === 'cancel') continue;
    kept.push(clause.trim() + (parts[i + 1]?.includes('?') ? '?' : ''));
  }
  return kept.join(', ');
}
