/**
 * Words of general English, so that typo correction leaves real words alone: "name" is not a typo of "same",
 * "cash" not of "case", "japan" not of "jalan". A word the knowledge never uses but English has counts as an
 * unknown word (it lowers the confidence, as it should: the message is about something else), instead of being
 * "corrected" into a knowledge word that makes an unrelated question look answerable.
 *
 * The list is the lexicon of the Brill part-of-speech tagger shipped with natural (about 78,000 lower-case
 * words, from pos.js), read once on first use.
 */
import fs from 'fs';

let words: Set<string> | undefined;

function lexiconFile(): string {
  return require.resolve('natural/lib/natural/brill_pos_tagger/data/English/lexicon_from_posjs.json');
}

/** The set of English words (lower case, letters and hyphens only). */
export function englishWords(): Set<string> {
  if (!words) {
    const set = new Set<string>();
    try {
      // the keys of the JSON map, read with a pattern rather than JSON.parse: 3x faster, and no 90,000 arrays
      // of tags to collect later (a collection pause in the middle of the first queries)
      const text = fs.readFileSync(lexiconFile(), 'utf8');
      const key = /"([A-Za-z][A-Za-z-]{3,})":/g;
      for (let m = key.exec(text); m; m = key.exec(text)) set.add(m[1].toLowerCase());
    } catch {
      // without the list, typo correction works as before (every unknown word may be corrected)
    }
    words = set;
  }
  return words;
}
