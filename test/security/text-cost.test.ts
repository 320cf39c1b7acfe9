/**
 * Issue 13, item 1: bounded cost on every piece of customer text. A property test: random-content messages
 * (random words of 1–4,000 letters, random sequences of words, random Unicode of every plane with combining
 * marks, right-to-left text, emoji, surrogate pairs and control characters, digits and punctuation, and runs
 * that make backtracking patterns slow) go through the recognizer directly and through the whole bot
 * in-process, each up to the largest accepted length. The worst of them must cost about what a normal message
 * costs, measured in the same run (a generous multiple of the normal median, plus an absolute ceiling for a
 * machine shared with other work), and the heap must not grow with them.
 *
 * Before the fix, one message of a single 800-letter random word made typo correction build ~320,000
 * deletions of ~800 characters each: seconds of work and a heap beyond the production limit (192 MB).
 *
 * The PRNG is seeded: TEXT_COST_SEED=<n> replays a failure (the seed is printed).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseIdentifier, understandYesNo } from '../../dialogs/migration';
import { detectSwitchType, findPlan } from '../../dialogs/planswitch-common';
import { parseContact, parseName } from '../../dialogs/ticket';
import { normaliseQuestion } from '../../src/bot/supportBot';
import {
  findDates,
  findEmails,
  findMyKads,
  findPassports,
  findPhones,
  findRinggit,
  parseDate,
  parseProRataRequest,
  redactPersonalData,
} from '../../src/domain';
import { detectCommand } from '../../src/language/commands';
import { detectLanguage } from '../../src/language/detect';
import { analyze, maskIdentifiers, tokenize } from '../../src/language/normalize';
import { stemEnglish } from '../../src/language/stem';
import { stemMalay } from '../../src/language/stemmer-ms';
import type { Recognizer } from '../../src/nlu/recognizer';
import { findReference } from '../../src/services/tickets';
import { type TestChat, createTestChat } from '../helpers/bot';
import { RandomText, mulberry32 } from '../helpers/random';

const SEED = Number(process.env.TEXT_COST_SEED ?? Date.now() % 1_000_000);
/** MAX_MESSAGE_CHARS can be configured up to this: the recognizer is tried at it, the bot at it and at the default */
const LARGEST = 100_000;
const DEFAULT_MAX = 2000;

class Gen extends RandomText {
  /** random words (of Malay-looking syllables or random letters) separated by spaces and punctuation, up to `max` */
  words(max: number): string {
    const syll = ['ka', 'ber', 'me', 'ng', 'an', 'kan', 'nya', 'lah', 'di', 'pe', 'ter', 'tion', 'ing', 'ed', 'ly', 'x', 'q', 'z'];
    let s = '';
    while (s.length < max) {
      const w = this.rnd() < 0.5 ? Array.from({ length: 1 + this.int(6) }, () => this.pick(syll)).join('') : this.letters(1 + this.int(30));
      s += w + this.pick([' ', ' ', ' ', ', ', '. ', '? ', '-', '/', "'", '2 ', '\n']);
    }
    return s.slice(0, max);
  }
  /** one code point of any plane: letters, combining marks, RTL, emoji, controls, lone and paired surrogates */
  codePoint(): string {
    const kind = this.int(12);
    switch (kind) {
      case 0:
        return String.fromCharCode(this.int(0x20)); // C0 controls, NUL included
      case 1:
        return String.fromCharCode(0x300 + this.int(0x70)); // combining diacritical marks
      case 2:
        return String.fromCharCode(0x590 + this.int(0x200)); // Hebrew, Arabic (RTL)
      case 3:
        return this.pick(['\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2069', '\u200b', '\u200d', '\ufeff']);
      case 4:
        return String.fromCodePoint(0x1f300 + this.int(0x600)); // emoji (surrogate pairs)
      case 5:
        return String.fromCodePoint(0x10000 + this.int(0x100000)); // any supplementary plane
      case 6:
        return String.fromCharCode(0xd800 + this.int(0x800)); // a lone surrogate
      case 7:
        return String.fromCharCode(0xff01 + this.int(0x5e)); // full-width forms (NFKC folds them)
      case 8:
        return String.fromCharCode(0x80 + this.int(0x780)); // Latin-1, extended Latin, Greek, Cyrillic
      default:
        return String.fromCharCode(0x20 + this.int(0x5f)); // printable ASCII
    }
  }
  unicode(max: number): string {
    let s = '';
    while (s.length < max) s += this.codePoint();
    return s.slice(0, max);
  }
  /** digits, letters, separators and the characters of e-mails, amounts and dates */
  mixed(max: number): string {
    return this.letters(max, 'abcdefghijklmnopqrstuvwxyz0123456789 .,-/@+()?!:#%$\'"');
  }
  /** runs that make a backtracking pattern slow, with random content */
  runs(max: number): string {
    const unit = this.pick([
      () => '. ', () => '?', () => '(', () => ' ', () => this.letters(1 + this.int(40)) + '@',
      () => `prepaid ${this.letters(3)} `, () => `${1 + this.int(28)} april `, () => `rm${this.int(999)} `, () => `${this.int(10)}`,
      () => `${this.letters(2)}.`, () => `${this.int(100)}-`, () => 'pasca ', () => `the ${this.int(31)}th `, () => 'digi postpaid 58 rm1 ',
    ]);
    let s = '';
    while (s.length < max) s += unit();
    return s.slice(0, max) + this.pick(['', 'x', '@', '.', ')', ' prepaid']);
  }
  /**
   * Runs of `n` characters with random content that made a backtracking pattern slow: address characters
   * without an "@" (or with one at the end), runs of ". ", unclosed "(", line types with no switch, many
   * dates, spaces before a number, digits and separators.
   */
  adversarial(n: number): Array<[string, string]> {
    const fill = (unit: () => string) => {
      let s = '';
      while (s.length < n) s += unit();
      return s.slice(0, n);
    };
    return [
      ['random letters', this.letters(n)],
      ['letters then @', this.letters(n - 1) + '@'],
      ['@ then letters', `a@${this.letters(n - 2)}`],
      ['address characters', this.letters(n, 'abcxyz0123456789.-+_')],
      ['". " runs then a word', fill(() => this.pick(['. ', '.', '? ', '!', ' '])) + this.letters(3)],
      ['unclosed brackets', fill(() => this.pick(['(', '(', this.letters(1)]))],
      ['line types, no switch', fill(() => `${this.pick(['prepaid', 'postpaid', 'prabayar', 'pasca bayar'])} ${this.letters(1 + this.int(5))} `)],
      ['many dates', fill(() => `${1 + this.int(28)} ${this.pick(['april', 'mac', 'jan', 'dis'])} ${this.pick(['', '2026 ', 'to ', '- '])}`)],
      ['spaces then a number', ' '.repeat(n - 6) + `${this.int(10)}th x`],
      ['digits and separators', fill(() => this.pick(['1', '2', '9', '-', ' ', '.', '+']))],
      ['amounts and plans', fill(() => this.pick([`rm${this.int(999)} `, 'digi postpaid 58 ', `postpaid ${this.int(99)} `, 'the ']))],
    ];
  }

  /** a message of up to `max` characters of one of the kinds above */
  message(max: number): string {
    const len = () => 1 + Math.floor(Math.pow(max, this.rnd()));
    switch (this.int(6)) {
      case 0:
        return this.word().slice(0, max);
      case 1: {
        // several long random words
        let s = '';
        while (s.length < len()) s += this.word() + ' ';
        return s.slice(0, max);
      }
      case 2:
        return this.words(len());
      case 3:
        return this.unicode(len());
      case 4:
        return this.mixed(len());
      default:
        return this.runs(len()).slice(0, max);
    }
  }
}

/** A real garbage collection (not exposed under jest unless asked for). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

const NORMAL = [
  'camne nk upgrade akaun',
  'x boleh login guna ID lama',
  'how do I migrate my eBiz login',
  'boleh ke saya tukar pelan ke prepaid?',
  'berapa caj kalau tukar postpaid ke prepaid',
  'can my line switch to prepaid',
  'macam mana nak daftar akaun baru',
  'status tiket saya',
  'what documents do I need at the counter',
  'kenapa bil saya mahal bulan ni',
  'how is the pro-rata calculated',
  'nak tanya pasal roaming',
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

/**
 * The processor time this process spent since `since` (process.cpuUsage()), in ms. A whole turn of the bot writes
 * to its SQLite file and waits on timers; on a loaded shared machine its wall time includes waits for the disk
 * and for a core (CI saw 999 ms for a turn that costs 84 ms replayed with its seed). The cost of the text
 * itself is processor work, so the whole-bot checks count that: a super-linear step still shows in full.
 */
function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e3;
}

const show = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s) + ` (${s.length} chars)`;

describe(`text cost (seed ${SEED})`, () => {
  let chat: TestChat;
  let gc: () => void;
  beforeAll(async () => {
    // eslint-disable-next-line no-console
    console.log(`text-cost seed ${SEED} (TEXT_COST_SEED=${SEED} replays it)`);
    gc = collector();
    chat = await createTestChat({ env: { RATE_LIMIT_PER_CONVERSATION: '100000', MAX_MESSAGE_CHARS: String(DEFAULT_MAX) } });
  });
  afterAll(async () => {
    await chat?.close();
  });

  test('the recognizer: the worst random message of up to 100,000 characters costs about a normal one, and the heap stays flat', () => {
    const rec: Recognizer = chat.runtime.recognizer;
    const g = new Gen(mulberry32(SEED));
    for (let i = 0; i < 300; i++) rec.match(NORMAL[i % NORMAL.length]!); // warm-up (JIT)
    const normal: number[] = [];
    for (let i = 0; i < 600; i++) {
      const t = process.hrtime.bigint();
      rec.match(NORMAL[i % NORMAL.length]!);
      normal.push(ms(t));
    }
    const normalMedian = median(normal);
    // generous: 0.05 ms normal -> 30 ms; an absolute floor for a busy shared machine; the old code took
    // seconds on the first case below
    const ceiling = Math.max(300 * normalMedian, 40);
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    // the message first: one 800-letter random word
    const cases = [g.letters(800)];
    for (let i = 0; i < 300; i++) cases.push(i === 150 ? g.letters(4000) : g.message(i % 4 === 0 ? LARGEST : DEFAULT_MAX));
    let worst = 0;
    let worstText = '';
    let worstAlloc = 0;
    const slow: string[] = [];
    for (const text of cases) {
      const h = process.memoryUsage().heapUsed;
      const t = process.hrtime.bigint();
      rec.match(text);
      const took = ms(t);
      worstAlloc = Math.max(worstAlloc, process.memoryUsage().heapUsed - h);
      if (took > worst) {
        worst = took;
        worstText = text;
      }
      if (took > ceiling) {
        // measured again once: a collection pause of the process (or a busy machine) is not the message's cost
        let again = took;
        if (took < 10 * ceiling) {
          const t2 = process.hrtime.bigint();
          rec.match(text);
          again = ms(t2);
        }
        if (again > ceiling) slow.push(`${show(text)}: ${took.toFixed(1)} ms, then ${again.toFixed(1)} ms`);
        if (slow.length > 0) break; // the old code ran out of memory on the longer words that follow
      }
    }
    gc();
    const grown = (process.memoryUsage().heapUsed - heap0) / 1e6;
    // eslint-disable-next-line no-console
    console.log(
      `recognizer: normal median ${normalMedian.toFixed(3)} ms; worst of ${cases.length} random ${worst.toFixed(2)} ms ` +
        `(${show(worstText)}); ceiling ${ceiling.toFixed(1)} ms; largest allocation in one message ${(worstAlloc / 1e6).toFixed(1)} MB; ` +
        `heap after ${grown.toFixed(1)} MB`,
    );
    expect(slow).toEqual([]);
    // the memos of words are bounded (50,000 short words each); the text of a message is not kept
    expect(grown).toBeLessThan(48);
    expect(worstAlloc / 1e6).toBeLessThan(64);
  }, 60_000);

  test('every parser of customer text runs in linear time (random-content runs of 5,000 and 20,000 characters)', () => {
    const kb = chat.runtime.knowledge;
    const ref = { y: 2026, m: 4, d: 11 };
    const parsers: Record<string, (t: string) => unknown> = {
      findEmails,
      redactPersonalData,
      findPhones,
      findMyKads: (t) => findMyKads(t),
      findPassports,
      findRinggit: (t) => findRinggit(t),
      findDates: (t) => findDates(t, { reference: ref }),
      parseDate: (t) => parseDate(t, { reference: ref }),
      parseProRataRequest: (t) => parseProRataRequest(t, ref, kb.plans),
      findPlan: (t) => findPlan(t, kb.plans, ref),
      detectSwitchType: (t) => detectSwitchType(t, kb.rules),
      parseIdentifier: (t) => parseIdentifier(t),
      understandYesNo,
      parseContact,
      parseName,
      findReference,
      normaliseQuestion,
      maskIdentifiers,
      tokenize: (t) => tokenize(t),
      analyze: (t) => analyze(t, 'ms'),
      detectLanguage: (t) => detectLanguage(t),
      detectCommand: (t) => detectCommand(t),
      stemMalay: (t) => stemMalay(t),
      stemEnglish: (t) => stemEnglish(t),
      // (the recognizer, typo correction included, is the first test's)
    };
    const g = new Gen(mulberry32(SEED + 3));
    const small = g.adversarial(5000);
    const large = g.adversarial(20_000);
    const time = (f: (t: string) => unknown, text: string, tries: number): number => {
      let best = Infinity;
      for (let i = 0; i < tries; i++) {
        const t = process.hrtime.bigint();
        f(text);
        best = Math.min(best, ms(t));
        if (best > 1000) break; // clearly slow: no need to measure it again
      }
      return best;
    };
    const superLinear: string[] = [];
    for (const [name, f] of Object.entries(parsers)) {
      for (let k = 0; k < small.length; k++) {
        const [kind, a] = small[k]!;
        const b = large[k]![1];
        // 4 times the text: 4 times the time when linear, 16 when quadratic; small times are noise, and a
        // pair that looks super-linear is measured once more, longer (a pause of the shared machine is not a cost)
        const flagged = (tries: number): [number, number] | undefined => {
          const ta = time(f, a, tries);
          const tb = time(f, b, tries);
          return tb > 25 && tb > 8 * Math.max(ta, 0.5) ? [ta, tb] : undefined;
        };
        const slow = flagged(3) && flagged(7);
        if (slow) superLinear.push(`${name} on ${kind}: ${slow[0].toFixed(1)} ms at 5,000, ${slow[1].toFixed(1)} ms at 20,000`);
      }
    }
    expect(superLinear).toEqual([]);
  }, 60_000);

  test('the whole bot: random messages up to the accepted length, in and out of procedures, cost about a normal turn', async () => {
    const g = new Gen(mulberry32(SEED + 1));
    let answered = 0;
    const turn = async (text: string): Promise<number> => {
      const t = process.cpuUsage();
      const replies = await chat.say(text);
      const took = cpuMs(t);
      if (replies.length > 0) answered++;
      return took;
    };
    for (let i = 0; i < 10; i++) await turn(NORMAL[i % NORMAL.length]!); // warm-up
    const normal: number[] = [];
    for (let i = 0; i < 24; i++) normal.push(await turn(NORMAL[i % NORMAL.length]!));
    const normalMedian = median(normal);
    const ceiling = Math.max(25 * normalMedian, 250);
    // random messages in free conversation and as the answers of each procedure's questions (their parsers
    // read customer text too: dates, amounts, plans, identifiers, phone numbers, names, descriptions)
    const starters = ['', 'kira pro-rata', 'migrate my old account', 'nak buat aduan', 'boleh ke saya tukar pelan?', 'status tiket saya'];
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    let worst = 0;
    let worstText = '';
    const slow: string[] = [];
    const first = [g.letters(800), g.letters(DEFAULT_MAX)];
    for (let i = 0; i < 72; i++) {
      if (i % 6 === 0) {
        await turn('batal');
        const s = starters[(i / 6) % starters.length]!;
        if (s) await turn(s);
      }
      const text = first[i] ?? g.message(DEFAULT_MAX);
      let took = await turn(text);
      // a turn over the ceiling is said once more: a pause of the shared machine (or a collection) is not a cost,
      // a cost of the text is paid again
      if (took > ceiling) took = Math.min(took, await turn(text));
      if (took > worst) {
        worst = took;
        worstText = text;
      }
      if (took > ceiling) slow.push(`${show(text)}: ${took.toFixed(1)} ms`);
      if (slow.length > 0) break; // the old code ran out of memory on the longer words that follow
    }
    gc();
    const grown = (process.memoryUsage().heapUsed - heap0) / 1e6;
    // eslint-disable-next-line no-console
    console.log(
      `bot (processor time): normal turn median ${normalMedian.toFixed(2)} ms; worst random turn ${worst.toFixed(1)} ms (${show(worstText)}); ` +
        `ceiling ${ceiling.toFixed(0)} ms; heap after ${grown.toFixed(1)} MB`,
    );
    expect(slow).toEqual([]);
    expect(answered).toBeGreaterThan(100); // the bot stayed up and kept answering
    expect(grown).toBeLessThan(48);
  }, 60_000);

  test('the whole bot with MAX_MESSAGE_CHARS at its largest (100,000): the longest messages cost about a normal turn', async () => {
    const big = await createTestChat({ env: { RATE_LIMIT_PER_CONVERSATION: '100000', MAX_MESSAGE_CHARS: String(LARGEST) } });
    try {
      const g = new Gen(mulberry32(SEED + 2));
      const turn = async (text: string): Promise<number> => {
        const t = process.cpuUsage();
        expect((await big.say(text)).length).toBeGreaterThan(0);
        return cpuMs(t);
      };
      for (let i = 0; i < 10; i++) await turn(NORMAL[i % NORMAL.length]!);
      const normal: number[] = [];
      for (let i = 0; i < 12; i++) normal.push(await turn(NORMAL[i % NORMAL.length]!));
      const normalMedian = median(normal);
      // a message of 100,000 characters is read (NFKC, masking of personal data, tokens) and stored in the
      // unanswered log: linear work, a few ms per 10,000 characters; the ceiling allows for it
      const ceiling = Math.max(40 * normalMedian, 600);
      const starters = ['', 'kira pro-rata', 'nak buat aduan', 'boleh ke saya tukar pelan?', 'migrate my old account'];
      const slow: string[] = [];
      let worst = 0;
      let worstText = '';
      for (let i = 0; i < 20; i++) {
        if (i % 4 === 0) {
          await turn('batal');
          const s = starters[(i / 4) % starters.length]!;
          if (s) await turn(s);
        }
        // the largest length, or close to it (a message over it is cut and answered "too long")
        let text = i === 0 ? g.letters(800) : i === 1 ? g.letters(LARGEST) : g.message(LARGEST);
        while (i > 0 && text.length < LARGEST / 2) text += ' ' + g.message(LARGEST);
        text = text.slice(0, LARGEST - g.int(1000));
        let took = await turn(text);
        // a turn over the ceiling is said once more before it counts (as in the checks above): a real cost of the
        // text is paid again, a pause of a loaded machine is not (CI saw 1,398 ms for a 62,231-character message
        // that takes 152 ms replayed with its seed)
        if (took > ceiling) took = Math.min(took, await turn(text));
        if (took > worst) {
          worst = took;
          worstText = text;
        }
        if (took > ceiling) slow.push(`${show(text)}: ${took.toFixed(1)} ms`);
        if (slow.length > 0) break; // the old code ran out of memory on the longer words that follow
      }
      // eslint-disable-next-line no-console
      console.log(`bot at 100,000 (processor time): normal turn median ${normalMedian.toFixed(2)} ms; worst ${worst.toFixed(1)} ms (${show(worstText)}); ceiling ${ceiling.toFixed(0)} ms`);
      expect(slow).toEqual([]);
    } finally {
      await big.close();
    }
  }, 60_000);
});
