/**
 * Does a message ask for a person? Words from knowledge/lexicon.yaml (`handoff`): the whole message (after
 * short forms and politeness words) is one of the phrases ("human please", "pegawai"), or a short message
 * (at most 12 words) holds a verb of speaking or reaching and a word for a person ("nak cakap dengan orang",
 * "boleh saya bercakap dengan pegawai?", "talk to an agent"). Bounded cost: at most 256 characters and 13
 * tokens are read.
 */
import { MAX_COMMAND_CHARS } from './detect';
import { type Lexicon, lexicon } from './lexicon';
import { expandShortForms, maskIdentifiers, tokenize } from './normalize';

const MAX_WORDS = 12;

export function isHumanRequest(text: string, lex: Lexicon = lexicon()): boolean {
  if (text.length > MAX_COMMAND_CHARS) return false;
  // an e-mail, a phone number are no words ("… email to kevin.ong@example.org": "org" is no "orang")
  const raw = tokenize(maskIdentifiers(text, lex).text, MAX_WORDS + 1).filter((t) => !t.startsWith('__'));
  if (raw.length === 0 || raw.length > MAX_WORDS) return false;
  const tokens = expandShortForms(raw, lex).flatMap((t) => t.split(' '));
  const { phrases, verbs, persons } = lex.handoff;
  if (phrases.has(raw.join(' ')) || phrases.has(tokens.join(' '))) return true;
  const polite = lex.commands.politeness;
  let start = 0;
  let end = tokens.length;
  while (start < end && polite.has(tokens[start]!)) start++;
  while (end > start && polite.has(tokens[end - 1]!)) end--;
  if (phrases.has(tokens.slice(start, end).join(' '))) return true;
  return tokens.some((t) => verbs.has(t)) && tokens.some((t) => persons.has(t));
}
