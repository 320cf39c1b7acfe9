/**
 * The whole-message model's weights kept between starts (src/nlu/modelCache.ts, whole.ts WeightCache): a
 * second build with the same knowledge reads them instead of training and recognises exactly as the first;
 * a damaged file is ignored (trained again); changed knowledge trains again and replaces the old file.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { loadKnowledge } from '../../src/knowledge';
import { fileWeightCache } from '../../src/nlu/modelCache';
import { DEFAULT_RECOGNIZER_OPTIONS, Recognizer } from '../../src/nlu/recognizer';
import { WholeMessageModel } from '../../src/nlu/whole';
import { lexicon } from '../../src/language/lexicon';

const kb = loadKnowledge(path.join(__dirname, '../../knowledge'));
const MESSAGES = [
  'how do I log in to ebiz with my old user id',
  'boss suruh saya beli peta topo tapi tak tau nak daftar akaun macam mana',
  'can my prepaid line switch to postpaid',
  'berapa caj kalau tukar pelan tengah bulan',
  'what is the weather in Ipoh tomorrow',
];

describe('trained weights cached on disk', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-cache-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const build = (entries = kb.entries) => Recognizer.build(entries, DEFAULT_RECOGNIZER_OPTIONS, lexicon(), fileWeightCache(dir));
  const files = () => fs.readdirSync(path.join(dir, 'model')).filter((f) => f.endsWith('.weights'));
  const results = (r: Recognizer) => MESSAGES.map((m) => r.match(m, 'ms')).map((x) => [x.decision, x.candidates.map((c) => [c.entry.id, c.score])]);

  test('the second build reads the weights instead of training, and recognises exactly as the first', () => {
    const sgd = jest.spyOn(WholeMessageModel.prototype as unknown as { sgd: () => void }, 'sgd');
    const first = build();
    expect(sgd).toHaveBeenCalledTimes(1);
    expect(files()).toHaveLength(1);
    const second = build();
    expect(sgd).toHaveBeenCalledTimes(1);
    expect(results(second)).toEqual(results(first));
    // and both as a recognizer built without any cache
    expect(results(Recognizer.build(kb.entries))).toEqual(results(first));
    sgd.mockRestore();
  });

  test('a damaged file is ignored: trained again, same results, the file rewritten', () => {
    const first = build();
    const file = path.join(dir, 'model', files()[0]!);
    fs.writeFileSync(file, Buffer.from('not weights'));
    const sgd = jest.spyOn(WholeMessageModel.prototype as unknown as { sgd: () => void }, 'sgd');
    const again = build();
    expect(sgd).toHaveBeenCalledTimes(1);
    expect(results(again)).toEqual(results(first));
    expect(fs.statSync(file).size).toBeGreaterThan(100);
    sgd.mockRestore();
  });

  test('changed knowledge trains again, and its file replaces the old one', () => {
    build();
    const before = files();
    const sgd = jest.spyOn(WholeMessageModel.prototype as unknown as { sgd: () => void }, 'sgd');
    build(kb.entries.slice(1));
    expect(sgd).toHaveBeenCalledTimes(1);
    expect(files()).toHaveLength(1);
    expect(files()).not.toEqual(before);
    sgd.mockRestore();
  });
});
