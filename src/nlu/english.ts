/**
 * Words of general English, so that typo correction leaves real words alone: "name" is not a typo of "same",
 * "cash" not of "case", "japan" not of "jalan". A word the knowledge never uses but English has counts as an
 * unknown word (it lowers the confidence, as it should: the message is about something else), instead of being
 * "corrected" into a knowledge word that makes an unrelated question look answerable.
 *
 * Which list is data: knowledge/lexicon.yaml `englishWords` names it (by default the lexicon of the Brill
 * part-of-speech tagger shipped with natural, about 78,000 lower-case words, from pos.js). The lexicon reads it
 * once, on first use (src/language/lexicon.ts), and the recognizer takes it from the lexicon it is given.
 */
import fs from 'fs';
import path from 'path';

/** Where the list is: a file inside an installed package, or a file relative to the knowledge dir. */
export interface EnglishWordsSource {
  package?: string;
  file: string;
}

/** The file of a source (a package's file through Node's resolution, else relative to `baseDir`). */
export function englishWordsFile(source: EnglishWordsSource, baseDir: string): string {
  return source.package ? require.resolve(`${source.package}/${source.file}`) : path.resolve(baseDir, source.file);
}

/**
 * The set of words of a list (lower case, letters and hyphens, 4 letters or more). The list is a JSON map whose keys
 * are the words, a JSON list of words, or a text file of one word a line (the Malay list, `malayWords`, is read the
 * same way). An unreadable list gives the empty set: typo correction then works as before (every unknown word may be
 * corrected).
 */
export function readEnglishWords(file: string): Set<string> {
  const set = new Set<string>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return set;
  }
  if (file.endsWith('.json') && /^\s*\[/.test(text)) {
    // a JSON list of words (Sastrawi's root words): parsed, a list of strings is cheap to build (about 3x faster than the pattern)
    let list: unknown;
    try {
      list = JSON.parse(text);
    } catch {
      return set;
    }
    if (Array.isArray(list)) for (const w of list) if (typeof w === 'string' && /^[A-Za-z][A-Za-z-]{3,}$/.test(w)) set.add(w.toLowerCase());
    return set;
  }
  // the keys of the JSON map, read with a pattern rather than JSON.parse: 3x faster, and no 90,000 arrays
  // of tags to collect later (a collection pause in the middle of the first queries)
  const key = file.endsWith('.json') ? /"([A-Za-z][A-Za-z-]{3,})":/g : /^([A-Za-z][A-Za-z-]{3,})$/gm;
  for (let m = key.exec(text); m; m = key.exec(text)) set.add(m[1].toLowerCase());
  return set;
}
