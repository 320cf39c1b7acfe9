/** Loading errors and lint findings on fixture files; rules flowing into answers. */
import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { KnowledgeError, lintKnowledge, loadKnowledge } from '../../src/knowledge';
import type { LintFinding } from '../../src/knowledge';
import { main as kbCheck } from '../../src/cli/kb-check';
import { cleanFixtureDirs, fixtureDir, MINIMAL, REAL_KB } from './helpers';

afterAll(cleanFixtureDirs);

function loadError(dir: string): KnowledgeError {
  try {
    loadKnowledge(dir);
  } catch (e) {
    if (e instanceof KnowledgeError) return e;
    throw e;
  }
  throw new Error('expected a KnowledgeError');
}

const demo = (fixture: string) => fixtureDir({ 'packs/demo.yaml': { fixture: `broken/${fixture}` } });

describe('loading a fixture dir', () => {
  it('the minimal fixture loads, with placeholders expanded', () => {
    const kb = loadKnowledge(MINIMAL);
    expect(kb.byId.get('demo.limit')?.answer).toEqual({ ms: 'Had: dua kali. Baki hingga RM100.', en: 'Limit: two times. Credit up to RM100.' });
    expect(kb.byId.get('demo.conditions')?.answer?.en).toBe(
      'Make sure:\n1. Your line is still active, because a plan can only be switched on an active Digi line.\n2. You have not switched your mobile plan more than two times within a month.',
    );
    expect(kb.byId.get('demo.limit')?.source).toBe('demo.txt');
    expect(kb.byId.get('core.contact-customer-service')?.source).toBeUndefined();
  });

  it('a follow-up into a disabled pack is not offered', () => {
    const dir = fixtureDir({ 'packs/core.yaml': { text: fs.readFileSync(path.join(MINIMAL, 'packs/core.yaml'), 'utf8').replace('procedure: { dialog: ticket, mode: instead }', 'procedure: { dialog: ticket, mode: instead }\n    followups: [demo.limit]') } });
    expect(loadKnowledge(dir).byId.get('core.contact-customer-service')?.followups).toEqual(['demo.limit']);
    expect(loadKnowledge(dir, { packs: [] }).byId.get('core.contact-customer-service')?.followups).toEqual([]);
    expect(loadKnowledge(dir, { packs: [] }).packs).toEqual(['core']);
  });

  const cases: [string, string, string, RegExp][] = [
    ['missing-language.yaml', 'demo.nolang', 'missing-language', /language missing: question\.en/],
    ['schema-error.yaml', 'demo.badkind', 'schema', /kind/],
    ['incomplete-with-answer.yaml', 'demo.half', 'schema', /incomplete entry has no answer/],
    ['unknown-placeholder.yaml', 'demo.ph', 'unknown-placeholder', /\{\{frobnicate\}\}/],
    ['bad-switch-type.yaml', 'demo.badswitch', 'unknown-placeholder', /prepaid-satellite/],
    ['duplicate-id.yaml', 'demo.twice', 'duplicate-id', /already used/],
    ['dangling-followup.yaml', 'demo.follow', 'dangling-followup', /demo\.nowhere/],
    ['dangling-procedure.yaml', 'demo.proc', 'dangling-procedure', /teleport/],
    ['wrong-prefix.yaml', 'other.entry', 'id-prefix', /must start with "demo\."/],
  ];
  it.each(cases)('%s: the error names the file and the entry', (fixture, entry, code, message) => {
    const dir = demo(fixture);
    const err = loadError(dir);
    expect(err.file).toBe(path.join(dir, 'packs', 'demo.yaml'));
    expect(err.entry).toBe(entry);
    expect(err.code).toBe(code);
    expect(err.message).toContain(path.join(dir, 'packs', 'demo.yaml'));
    expect(err.message).toContain(entry);
    expect(err.message).toMatch(message);
  });

  it('a YAML syntax error names the file', () => {
    const dir = demo('yaml-syntax.yaml');
    const err = loadError(dir);
    expect(err.code).toBe('yaml');
    expect(err.message).toContain(path.join(dir, 'packs', 'demo.yaml'));
  });

  it('a rules file pointing to an undefined forfeit names the file and the switch type', () => {
    const dir = fixtureDir({ 'plan-rules.yaml': { fixture: 'broken/rules-bad-reference.yaml' } });
    const err = loadError(dir);
    expect(err.file).toBe(path.join(dir, 'plan-rules.yaml'));
    expect(err.entry).toBe('switchTypes.postpaid-postpaid');
    expect(err.message).toMatch(/forfeit "rebates" is not defined/);
  });

  it('a non-integer fee in plans.yaml names the file and the plan', () => {
    const dir = fixtureDir({ 'plans.yaml': { fixture: 'broken/plans-bad-fee.yaml' } });
    const err = loadError(dir);
    expect(err.file).toBe(path.join(dir, 'plans.yaml'));
    expect(err.entry).toBe('p-58');
    expect(err.message).toMatch(/monthlyFeeSen/);
  });

  it('a missing core pack is an error', () => {
    const err = loadError(fixtureDir({ 'packs/core.yaml': null }));
    expect(err.code).toBe('core-missing');
  });
});

describe('the rules are the single source of the answers', () => {
  it('changing a rule value in plan-rules.yaml changes the answers', () => {
    const rules = parse(fs.readFileSync(path.join(REAL_KB, 'plan-rules.yaml'), 'utf8'));
    rules.maxSwitchesPerMonth = 3;
    rules.creditCarryOverCapSen = 15050;
    rules.switchTypes['prepaid-postpaid'].conditions = ['line-active'];
    rules.switchTypes['prepaid-prepaid'].onlyAt = 'digi-store';
    const dir = fixtureDir({ 'plan-rules.yaml': { text: stringify(rules) } }, REAL_KB);
    const before = loadKnowledge(REAL_KB);
    const after = loadKnowledge(dir);
    const answer = (kb: typeof after, id: string) => kb.byId.get(id)!.answer!;

    expect(answer(before, 'planswitch.switch-limit-per-month').ms).toContain('melebihi dua kali');
    expect(answer(after, 'planswitch.switch-limit-per-month').ms).toContain('melebihi tiga kali');
    expect(answer(after, 'planswitch.switch-limit-per-month').en).toContain('more than three times');
    expect(answer(after, 'planswitch.conditions-postpaid-postpaid').en).toContain('more than three times within a month');
    expect(after.rules.conditions['switch-limit'].en).toContain('three times');

    expect(answer(after, 'planswitch.prepaid-credit-carryover').ms).toContain('hingga RM150.50');
    expect(answer(after, 'planswitch.conditions-prepaid-postpaid').en).toContain('up to RM150.50');

    expect(answer(before, 'planswitch.conditions-prepaid-postpaid').en).toContain('2. You have not switched');
    expect(answer(after, 'planswitch.conditions-prepaid-postpaid').en).not.toContain('2. ');

    expect(answer(after, 'planswitch.where-to-switch').en).toContain('2. Prepaid to Prepaid: only at a Digi Store');
    expect(answer(after, 'planswitch.conditions-prepaid-prepaid').ms).toContain('hanya boleh dilakukan di Digi Store');
    expect(answer(before, 'planswitch.conditions-prepaid-prepaid').ms).not.toContain('Digi Store');
  });

  it('a placeholder inside the rules other than the scalar ones is an error naming the rule', () => {
    const rules = parse(fs.readFileSync(path.join(MINIMAL, 'plan-rules.yaml'), 'utf8'));
    rules.notes['credit-carry-over'].en = 'Up to {{conditions:prepaid-postpaid}}';
    const err = loadError(fixtureDir({ 'plan-rules.yaml': { text: stringify(rules) } }));
    expect(err.entry).toBe('notes.credit-carry-over');
    expect(err.code).toBe('unknown-placeholder');
  });
});

describe('the lint', () => {
  const codes = (findings: LintFinding[], entry: string) => findings.filter((f) => f.entry === entry).map((f) => `${f.level}:${f.code}`);

  it('reports each quality problem of the lint fixture, on its entry', () => {
    const dir = demo('lint-quality.yaml');
    const findings = lintKnowledge(dir);
    expect(codes(findings, 'demo.few')).toEqual(['error:too-few-paraphrases']);
    expect(findings.find((f) => f.code === 'too-few-paraphrases')?.message).toMatch(/2 ms paraphrase/);
    expect(codes(findings, 'demo.echo')).toEqual(['error:answer-equals-question', 'error:answer-equals-question']);
    expect(codes(findings, 'demo.markup').sort()).toEqual(['error:markup', 'error:markup', 'error:markup', 'error:markup']);
    expect(codes(findings, 'demo.image')).toEqual(['error:image-placeholder', 'error:image-placeholder']);
    expect(codes(findings, 'demo.long')).toEqual(['warning:answer-too-long']);
    expect(codes(findings, 'demo.missing')).toEqual(['info:incomplete']);
    expect(codes(findings, 'demo.limit')).toEqual([]);
    expect(codes(findings, 'demo.same-a')).toEqual([]);
    const same = findings.filter((f) => f.entry === 'demo.same-b');
    expect(same.filter((f) => f.code === 'duplicate-example').map((f) => f.message)).toEqual([
      expect.stringMatching(/ms example "Cara tukar kata laluan akaun saya!" is identical to one of demo\.same-a/),
      expect.stringMatching(/en example "how do i change my account password" is identical to one of demo\.same-a/),
    ]);
    const near = same.filter((f) => f.code === 'near-duplicate-example');
    expect(near).toHaveLength(1);
    expect(near[0].level).toBe('warning');
    expect(near[0].message).toMatch(/sekarang juga" is near-identical \(0\.9\d\) to one of demo\.same-a/);
    // Errors first, infos last.
    const levels = findings.map((f) => f.level);
    expect(levels.indexOf('info')).toBeGreaterThan(levels.lastIndexOf('error'));
  });

  it.each([
    ['missing-language.yaml', 'missing-language'],
    ['duplicate-id.yaml', 'duplicate-id'],
    ['dangling-followup.yaml', 'dangling-followup'],
    ['dangling-procedure.yaml', 'dangling-procedure'],
    ['unknown-placeholder.yaml', 'unknown-placeholder'],
    ['schema-error.yaml', 'schema'],
  ])('reports %s as %s without throwing', (fixture, code) => {
    const findings = lintKnowledge(demo(fixture));
    expect(findings.filter((f) => f.level === 'error').map((f) => f.code)).toEqual([code]);
  });

  it('every entry needs a short label per language, at most 20 characters, distinct within its language', () => {
    const base = fs.readFileSync(path.join(MINIMAL, 'packs/demo.yaml'), 'utf8');
    const labelLines = base.split('\n').filter((l) => /^\s*label: \{ ms:/.test(l));
    expect(labelLines.length).toBeGreaterThanOrEqual(2);
    const errors = (text: string) =>
      lintKnowledge(fixtureDir({ 'packs/demo.yaml': { text } }))
        .filter((f) => f.level === 'error')
        .map((f) => f.code);
    expect(errors(base)).toEqual([]);
    expect(errors(base.replace(labelLines[0] + '\n', ''))).toEqual(['missing-label', 'missing-label']);
    expect(errors(base.replace(labelLines[0], labelLines[0].replace(/en: "[^"]*"/, 'en: "What is the difference between"')))).toEqual(['label-too-long']);
    expect(errors(base.replace(labelLines[1], labelLines[0]))).toEqual(['duplicate-label', 'duplicate-label']);
  });

  /** The lint's findings with the first entry of the minimal demo pack needing `needs`. */
  const lintNeeding = (needs: string) => {
    const base = fs.readFileSync(path.join(MINIMAL, 'packs/demo.yaml'), 'utf8');
    const labelLine = base.split('\n').find((l) => /^\s*label: \{ ms:/.test(l))!;
    const indent = /^\s*/.exec(labelLine)![0];
    return lintKnowledge(fixtureDir({ 'packs/demo.yaml': { text: base.replace(labelLine, `${labelLine}\n${indent}needs: [${needs}]`) } }));
  };

  it('an entry may need only concepts or cues the lexicon has', () => {
    const errors = (needs: string) => lintNeeding(needs).filter((f) => f.level === 'error').map((f) => f.code);
    expect(errors('change')).toEqual([]);
    // (a cue: plans hopped between, in words of no concept)
    expect(errors('change, hopping')).toEqual([]);
    expect(errors('no-such-concept')).toEqual(['unknown-concept']);
  });

  it('an entry may signal only concepts the lexicon has', () => {
    const base = fs.readFileSync(path.join(MINIMAL, 'packs/demo.yaml'), 'utf8');
    const labelLine = base.split('\n').find((l) => /^\s*label: \{ ms:/.test(l))!;
    const indent = /^\s*/.exec(labelLine)![0];
    const errors = (signals: string) =>
      lintKnowledge(fixtureDir({ 'packs/demo.yaml': { text: base.replace(labelLine, `${labelLine}\n${indent}signals: ${signals}`) } }))
        .filter((f) => f.level === 'error')
        .map((f) => f.code);
    expect(errors('[[change]]')).toEqual([]);
    expect(errors('[[change, no-such-concept]]')).toEqual(['unknown-concept']);
    // a set of no concept is no signal
    expect(errors('[[]]')).not.toEqual([]);
  });

  it('warns of an example that names none of the concepts its entry needs (it could never be answered)', () => {
    const lacking = (needs: string) =>
      lintNeeding(needs)
        .filter((f) => f.code === 'example-lacks-need')
        .map((f) => /example "([^"]*)"/.exec(f.message)?.[1]);
    // every example of the switch limit names a change ("tukar", "switch", "penukaran"); none names a penalty
    expect(lacking('change')).toEqual([]);
    expect(lacking('penalty')).toContain('switch limit');
    expect(lacking('penalty')).toContain('had tukar pelan');
    // an example that names a cue the entry needs (hopping: "keep switching") is one it could answer
    const base = fs.readFileSync(path.join(MINIMAL, 'packs/demo.yaml'), 'utf8');
    const labelLine = base.split('\n').find((l) => /^\s*label: \{ ms:/.test(l))!;
    const indent = /^\s*/.exec(labelLine)![0];
    const text = base.replace(labelLine, `${labelLine}\n${indent}needs: [penalty, hopping]`).replace('switch limit, ', 'i keep switching plans, ');
    const warned = lintKnowledge(fixtureDir({ 'packs/demo.yaml': { text } }))
      .filter((f) => f.code === 'example-lacks-need')
      .map((f) => /example "([^"]*)"/.exec(f.message)?.[1]);
    expect(warned).toContain('max switches');
    expect(warned).not.toContain('i keep switching plans');
  });

  it("a pack's rivals are out-of-scope terms of the lexicon; an example that names one is warned of", () => {
    const base = fs.readFileSync(path.join(MINIMAL, 'packs/demo.yaml'), 'utf8');
    const findings = (rivals: string, text = base) => lintKnowledge(fixtureDir({ 'packs/demo.yaml': { text: text.replace('source: demo.txt\n', `source: demo.txt\nrivals: [${rivals}]\n`) } }));
    const errors = (rivals: string) => findings(rivals).filter((f) => f.level === 'error').map((f) => f.code);
    expect(errors('maxis, u mobile')).toEqual([]);
    expect(errors('maxis, no such operator')).toEqual(['unknown-term']);
    const warned = findings('maxis', base.replace('switch limit, ', 'maxis switch limit, '))
      .filter((f) => f.code === 'example-names-rival')
      .map((f) => /example "([^"]*)"/.exec(f.message)?.[1]);
    expect(warned).toEqual(['maxis switch limit']);
    expect(findings('maxis').filter((f) => f.code === 'example-names-rival')).toEqual([]);
  });

  it('word order matters for near-duplicates (prepaid->postpaid is not postpaid->prepaid)', () => {
    const text = fs
      .readFileSync(path.join(MINIMAL, 'packs/demo.yaml'), 'utf8')
      .replace('[switch limit,', '[conditions to switch from postpaid to prepaid today please,')
      .replace('[prepaid postpaid conditions,', '[conditions to switch from prepaid to postpaid today please,');
    const findings = lintKnowledge(fixtureDir({ 'packs/demo.yaml': { text } }));
    expect(findings.filter((f) => f.code.includes('duplicate'))).toEqual([]);
  });

  it('flags templated examples within an entry (one word swapped, added or dropped), not differently worded ones', () => {
    const base = fs.readFileSync(path.join(MINIMAL, 'packs/demo.yaml'), 'utf8');
    const templatedIn = (ms: string[]) => {
      const text = base.replace('[had tukar pelan,', `[${ms.join(', ')}, had tukar pelan,`);
      return lintKnowledge(fixtureDir({ 'packs/demo.yaml': { text } })).filter((f) => f.code === 'templated-example').map((f) => f.message);
    };
    // one word swapped
    expect(templatedIn(['sy nak tukar pelan bulan ni', 'sy nak tukar pakej bulan ni'])).toEqual([
      'ms example "sy nak tukar pakej bulan ni" is "sy nak tukar pelan bulan ni" with one word changed: write it differently or drop it',
    ]);
    // one word added at the end, or in the middle
    expect(templatedIn(['sy nak tukar pelan bulan ni', 'sy nak tukar pelan bulan ni boleh'])).toHaveLength(1);
    expect(templatedIn(['sy nak tukar pelan bulan ni', 'sy nak tukar pelan baru bulan ni'])).toHaveLength(1);
    // different wording, or short examples (three words may well differ by one)
    expect(templatedIn(['sy nak tukar pelan bulan ni', 'bulan ni boleh ke tukar pakej lagi sekali'])).toEqual([]);
    expect(templatedIn(['had tukar plan', 'had tukar pakej'])).toEqual([]);
    // two words changed is not one frame
    expect(templatedIn(['sy nak tukar pelan bulan ni', 'aku nak tukar pakej bulan ni'])).toEqual([]);
  });

  it('story examples (long, indirect, situation) are examples of their entry; a wrong kind is a schema error', () => {
    const base = fs.readFileSync(path.join(MINIMAL, 'packs/demo.yaml'), 'utf8');
    const stories = [
      '    stories:',
      '      long: { ms: [Sy dah tukar pelan sekali bulan ni. Kalau nak tukar lagi boleh ke?], en: [I changed plans once already. Can I change again?] }',
      '      indirect: { ms: [bulan ni dah dua kali tukar], en: [already switched twice this month] }',
      '    answer:',
    ].join('\n');
    const text = base.replace('    answer:', stories);
    const kb = loadKnowledge(fixtureDir({ 'packs/demo.yaml': { text } }));
    const limit = kb.byId.get('demo.limit')!;
    expect(limit.examples.ms.slice(-2)).toEqual(['Sy dah tukar pelan sekali bulan ni. Kalau nak tukar lagi boleh ke?', 'bulan ni dah dua kali tukar']);
    expect(limit.examples.en.slice(-2)).toEqual(['I changed plans once already. Can I change again?', 'already switched twice this month']);
    const wrong = lintKnowledge(fixtureDir({ 'packs/demo.yaml': { text: text.replace('      indirect:', '      story:') } }));
    expect(wrong.filter((f) => f.level === 'error').map((f) => f.code)).toEqual(['schema']);
  });

  it('kb-check prints one finding per line and exits 1 on an error, 0 on the real knowledge', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
    try {
      expect(kbCheck(['node', 'kb-check', demo('dangling-followup.yaml')])).toBe(1);
      expect(lines[0]).toMatch(/^ERROR dangling-followup .*demo\.yaml \[demo\.follow\]: follow-up "demo\.nowhere"/);
      expect(lines[lines.length - 1]).toMatch(/1 error\(s\)/);
      lines.length = 0;
      expect(kbCheck(['node', 'kb-check', REAL_KB])).toBe(0);
      expect(lines.filter((l) => l.startsWith('INFO incomplete'))).toHaveLength(2);
    } finally {
      spy.mockRestore();
    }
  });
});
