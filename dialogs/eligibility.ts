/**
 * EligibilityDialog: may this line switch plan? On the slot engine (dialogs/engine.ts). Its slots, in order:
 * - `line`: the number, in any usual Malaysian form, alone or in a sentence — or WhatsApp's verified sender;
 * - `code`: the one-time code by SMS that proves the customer holds a typed line (none for the verified
 *   sender), read inside a sentence ("kod dia 415764"); a dead code asks whether to send a new one, and a
 *   code typed at that question is checked like any code;
 * - `lookup`: the line's record (its type), once the line is proved — no account data is read before;
 * - `switchType`: only the switches this line's type can make; not asked when the plan or the target type
 *   ("boleh tukar ke postpaid?") gives it;
 * - `plan`: asked only when the verdict depends on it (some plans of the target type pass and others fail);
 *   when the verdict is the same for every plan, the switch is checked as a whole;
 * - `result`: the ✓/✗ checklist (words and card in dialogs/views/eligibility.ts), once, with the next steps
 *   (the pro-rata bill, a ticket) as buttons; anything else typed then leaves the check.
 * Any message may give any of these values; a different number (a correction, or just a new one) is the line
 * proved and checked instead — nothing proved for the old number carries over. The replies before the code
 * is right are the same whether or not the number is a line of ours.
 */
import type { TurnContext } from 'botbuilder';
import { type DialogContext, type DialogTurnResult, DialogTurnStatus } from 'botbuilder-dialogs';
import { answeredBefore, clientAddress, recordOutcome, turnInput, turnLexicon, turnText, verifiedPhone } from '../src/bot/context';
import { type Choice, type Reply, choiceOf } from '../src/bot/reply';
import type { ProcedureOptions } from '../src/bot/supportBot';
import { type EligibilityResult, type LineRecord, CONTACT_ME, checkEligibility, findCode, findCorrection, findLinePhone, findPhone, maskPhone, parsePhone } from '../src/domain';
import type { ConditionId, KnowledgeBase, LineType, Plan, SwitchTypeId } from '../src/knowledge/types';
import { SWITCH_TYPES } from '../src/knowledge/types';
import type { MessageCatalog } from '../src/language/catalog';
import { asksWhatIf, detectCommand } from '../src/language/commands';
import { lexicon } from '../src/language/lexicon';
import { asAnalysedText, tokenize } from '../src/language/normalize';
import type { Logger } from '../src/logging';
import type { OtpService } from '../src/services/otp';
import type { SubscriberDirectory } from '../src/services/subscribers';
import { type EngineState, type Extracted, type Outcome, type Problem, type Slot, type SlotAnswer, SlotProcedure, yesNoIn } from './engine';
import { type Today, detectSwitchType, findPlan, normalise, ownPlanSpan, withoutTypesNotWanted } from './planswitch-common';
import type { ProRataOptions } from './prorata';
import { resultReply } from './views/eligibility';

export interface EligibilityDeps {
  catalog: MessageCatalog;
  knowledge: KnowledgeBase;
  directory: SubscriberDirectory;
  otp: OtpService;
  today: Today;
  log: Logger;
}

type NextStep = 'prorata' | 'ticket';

export interface EligibilityValues {
  /** The line to check (E.164). */
  msisdn?: string;
  /** WhatsApp's verified sender (E.164): that line needs no code. */
  sender?: string;
  /** The typed line is proved by its one-time code. */
  verified?: boolean;
  codeSent?: boolean;
  /** The customer asked for a new code (else a live code of this conversation is reused). */
  resend?: boolean;
  /** Minutes the code sent (or reused) stays valid. */
  minutes?: number;
  /** The code is dead (expired, too many wrong): "shall I send a new one?" is asked. */
  deadCode?: boolean;
  /** The check stops with this said (a refused code, too many guesses, "no" to a new code). */
  stop?: Problem;
  /** The line's type, known once the line is proved (then only its switches are offered). */
  lineType?: LineType;
  switchType?: SwitchTypeId;
  /** A target type named alone ("boleh tukar ke postpaid?"): with the line's type, the switch. */
  toType?: LineType;
  planId?: string;
  /** No plan named and the verdict is the same for every plan of the target type: none is asked. */
  anyPlan?: boolean;
  /** Set once the result is shown: what the next steps hand over. */
  shown?: { prorata: ProRataOptions['prefill']; summary: string; choices: number };
  next?: NextStep | 'none';
}

const TYPE_WORD = /\b(pre-?paid|prabayar|post-?paid|pasca\s*bayar)\b/gi;
const typeOf = (word: string): LineType => (/^pr/i.test(word) ? 'prepaid' : 'postpaid');
/** The word before a lone type word that makes it the line's own type ("my prepaid line"), not the target. */
const OWN_TYPE_BEFORE = /\b(?:my|line|talian|saya|sy|aku|nombor|number|current|semasa)\s*$/i;
const OWN_TYPE_AFTER = /^\s*(?:line|talian|number|nombor|sy|saya|aku)\b/i;
/**
 * "check / semak … my line", "can my line …", "line sy boleh …", "boleh ke sy tukar …", "sy … layak x?", "am I eligible": the
 * customer asks about their own line (givesValues; "can I get an eSIM when I switch to postpaid?" asks about the eSIM,
 * the switch only its time); so does a want with "can" and no one named ("nk tukar plan lg, boleh
 * x?": Malay leaves the "I" out; "nk tukar ke prepaid supaya blh kawal belanja" says what for, it asks nothing); "where can I switch …", "bila boleh sy tukar …" ask about the rules.
 * (That lookbehind is tried only where "can" stands: tried at every space of a run, its "\s+" read the run back each time.)
 */
const CHECK_MY_LINE = /\b(?:check|semak|cek|periksa|tengok)\b[^.?!]{0,40}\b(?:line|talian|nombor|number)\b|\b(?:my|saya|sy)\s+(?:pre-?paid\s+|post-?paid\s+)?(?:line|talian|nombor|number)\b[^.?!]{0,30}\b(?:can|boleh|blh|layak|eligible)\b|\b(?:line|talian|nombor|no)\s+(?:pre-?paid\s+|post-?paid\s+|prabayar\s+|pascabayar\s+)?(?:saya|sy|aku|i)\b[^.?!]{0,30}\b(?:boleh|blh|bole|layak|can)\b|(?=\b(?:can|could|boleh|blh)\b)(?<!\b(?:where|when|how|why|mana|bila|camne|cane)\s+)\b(?:can|could|boleh|blh)\b[^.?!]{0,12}\b(?:my|i|sy|saya|aku)\b(?:(?!\b(?:when|if|bila|kalau|after|lepas|once|before|sebelum)\b)[^.?!]){0,30}\b(?:switch|change|tukar)\b|\b(?:sy|saya|aku|i)\b[^.?!]{0,40}\b(?:layak|eligible)\b|\b(?:layak|eligible)\b[^.?!]{0,20}\b(?:sy|saya|aku|i|me)\b|^\W*(?:nak|nk|mahu|want to|wanna)\s+(?:tukar|switch|change)\b[^.?!]{0,30}(?<!\b(?:supaya|agar|biar|so|so that|untuk)\s+)\b(?:boleh|blh|bole|leh|can)\b/i;
/**
 * The line's own type named alone with a word that keeps the switch within it ("upgrade my postpaid plan to a
 * higher one", "pelan prepaid sy nak tukar yg lg murah"): a switch within that type (lexicon sameTypeWords). A
 * type named as the target ("downgrade to prepaid") is no such switch.
 */
function sameKindSwitch(text: string, context: TurnContext): SwitchTypeId | undefined {
  const words = [...text.matchAll(TYPE_WORD)];
  if (words.length !== 1) return undefined;
  const m = words[0]!;
  const own = OWN_TYPE_BEFORE.test(text.slice(0, m.index)) || OWN_TYPE_AFTER.test(text.slice((m.index ?? 0) + m[0].length));
  const lex = turnText(context)?.lex ?? lexicon();
  if (!own || !tokenize(text).some((t) => lex.sameTypeWords.has(t))) return undefined;
  const type = typeOf(m[1]!);
  return `${type}-${type}` as SwitchTypeId;
}

/** Words that ask whether a switch is possible ("boleh ke?", "can …", "layak x?"). */
/** The longest question that asks only whether the customer's own line can switch (asksOwnLine). */
const OWN_LINE_QUESTION_WORDS = 8;
/**
 * "slm, blh tukar pelan x?", "can change plan?": whether a switch is possible, asked with no one named (Malay leaves the
 * "I" out), after a greeting at most; on WhatsApp, where the chat's line is proved, it asks about that line (asksOwnLine).
 * ("bila boleh tukar pelan?" asks when: a question word first is no such question.)
 */
// (between words, what is no letter or digit: \W also matches the letters outside ASCII, so "\W*\p{L}+\W+" split a
// run of them in cubic time)
const CAN_SWITCH_BARE = /^[^\p{L}\d]*(?:(?!(?:where|when|how|why|what|mana|bila|camne|cane|macam|mcm|apa|kenapa)\b)\p{L}+[^\p{L}\d]+)?(?:boleh|blh|bole|leh|can)\s+(?:ke\s+)?(?:tukar|switch|change)\s+(?:pelan|plan)\b/iu;
const SWITCHING = /\b(?:tukar|tuka|tukor|switch|change|ubah|migrate)\b/i;
/** Words of a switch itself: a "what if" made only of them and words that carry no topic asks for the check again. */
const SWITCH_WORD = /^(?:pre-?paid|prabayar|post-?paid|pasca|bayar|pascabayar|plan|pelan|another|lain|other|different|switch|tukar|change|ubah|line|talian|to|ke|kepada)$/i;
/** Longest such "what if" (words). */
const ONLY_SWITCH_MAX_WORDS = 10;
const ASKS_IF_POSSIBLE = /\b(?:boleh|blh|bole|leh|can|could|layak|eligible|possible|allowed)\b/i;
/** Words of going back to the plan left, later: a question about the old plan, not another switch to check. */
const GOING_BACK = /\b(?:balik|kembali|semula|patah|back|revert|return|lama|old|previous|asal|after|lepas|selepas)\b/i;
/**
 * Coming back to a plan later, once switched ("if I switch, can I come back to my Demo Postpaid 40 later?", "lepas tukar
 * boleh patah balik ke pelan lama nanti?"): a question about the plan left (the FAQ on plans no longer offered), not a
 * switch to check now, though it names a plan.
 */
const COMING_BACK_LATER =
  /\b(?:balik|kembali|semula|back|revert|return)\b[^.?!]{0,60}\b(?:later|nanti|kemudian|lepas ni|future|one day)\b|\b(?:if i switch|kalau (?:sy |saya )?tukar|lepas (?:sy |saya )?tukar|after (?:i )?switch(?:ing)?)\b[^.?!]{0,60}\b(?:balik|kembali|back|return|revert)\b/i;
const DIALOG_CONTEXT = Symbol('eligibilityDialogContext');
const RESEND_RE = /\b(hantar semula|hantar lagi|kod baru|resend|send again|new code|another code)\b/;

export class EligibilityDialog extends SlotProcedure<EligibilityValues> {
  protected readonly gaveUpKey = 'eligibility.gave-up';
  protected readonly slots: Slot<EligibilityValues>[];
  private readonly knowledge: KnowledgeBase;

  constructor(private readonly deps: EligibilityDeps) {
    super('eligibility', deps.catalog);
    this.knowledge = deps.knowledge;
    this.slots = [
      {
        name: 'line',
        missing: (v) => !v.msisdn,
        ask: (c) => ({ text: this.t(c, 'eligibility.ask.phone') }),
        answer: (text, c) => this.answerPhone(text, c),
      },
      {
        name: 'code',
        missing: (v) => this.needsCode(v),
        ask: (c, v) => this.askCode(c, v),
        answer: (text, c, v) => this.answerCode(text, c, v),
        readsBeside: true,
      },
      {
        name: 'lookup',
        missing: (v) => !!v.msisdn && !this.needsCode(v) && !v.lineType,
        ask: (c, v) => this.lookUp(c, v),
        answer: () => ({ ok: false, key: 'eligibility.error.directory' }),
      },
      {
        name: 'switchType',
        missing: (v) => !!v.lineType && (!v.switchType || this.rules.switchTypes[v.switchType].from !== v.lineType),
        ask: (c, v) => this.askSwitchType(c, v),
        answer: (text, c, v) => this.answerSwitchType(text, c, v),
      },
      {
        name: 'plan',
        missing: (v) => !!v.switchType && !v.planId && !v.anyPlan,
        ask: (c, v) => this.askPlan(c, v),
        answer: (text, c, v) => this.answerPlan(text, c, v),
      },
      {
        name: 'result',
        missing: (v) => !v.next,
        ask: (c, v) => this.showResult(c, v),
        answer: (text, c) => {
          const choice = this.nextChoiceOf(text, c);
          return choice ? { ok: true, apply: (v) => (v.next = choice) } : { ok: false, key: 'eligibility.stopped' };
        },
      },
    ];
  }

  private get rules() {
    return this.knowledge.rules;
  }

  private needsCode(v: EligibilityValues): boolean {
    return !!v.msisdn && !v.verified && v.msisdn !== v.sender;
  }

  protected initial(options: ProcedureOptions & { prefill?: Partial<EligibilityValues> }, context: TurnContext): EligibilityValues {
    const values: EligibilityValues = {};
    const sender = verifiedPhone(context);
    if (sender) {
      values.sender = sender;
      values.msisdn = sender;
    }
    // a reopened check (a correction right after the result) keeps what the customer chose, and the proof of the same line
    const prefill = options.prefill;
    if (prefill) {
      if (prefill.switchType) values.switchType = prefill.switchType;
      if (prefill.toType) values.toType = prefill.toType;
      if (prefill.planId) values.planId = prefill.planId;
      if (prefill.msisdn) values.msisdn = prefill.msisdn;
      // the line proved minutes ago in this conversation stays proved (another line given clears it: invalidate)
      if (prefill.msisdn && prefill.verified) values.verified = true;
      // (and the code sent to it while the check was set aside for another is still the one to type: answersPending)
      else if (prefill.msisdn && prefill.codeSent && !prefill.deadCode) values.codeSent = true;
    }
    // a conditions entry the message was recognised as ("syarat tukar postpaid ke prepaid") names where the
    // customer wants to go; where from is the line's own type, known once the line is proved (the recognizer may
    // pick the prepaid → postpaid entry for "can line 0121000001 switch to postpaid 80": a postpaid line). The
    // message's own words, read by extract, still name a whole switch when they do.
    const conditions = (id: string | undefined) => /^planswitch\.conditions-(.+)$/.exec(id ?? '')?.[1];
    const fromEntry = conditions(options.entryId);
    if (fromEntry && (SWITCH_TYPES as readonly string[]).includes(fromEntry) && !values.switchType && !values.toType) {
      values.toType = this.rules.switchTypes[fromEntry as SwitchTypeId].to;
    }
    // the question answered just before, when it named a switch ("If I switch my postpaid to prepaid now, will I
    // get charged a penalty?") or asked about one switch's conditions: the switch to check, unless this message
    // names one (read by extract)
    const before = answeredBefore(context);
    if (before && !values.switchType && !values.toType) {
      const named = detectSwitchType(before.text, this.rules) ?? conditions(before.entryId);
      // where to, as from a conditions entry: where from is the line's own type, known once it is proved
      if (named && (SWITCH_TYPES as readonly string[]).includes(named)) values.toType = this.rules.switchTypes[named as SwitchTypeId].to;
    }
    return values;
  }

  /** Every value of a message: a number, a switch type, a target type alone, a plan of the catalogue. */
  protected extract(text: string, context: TurnContext, current: EligibilityValues): Extracted<EligibilityValues> {
    const values: Partial<EligibilityValues> = {};
    const t = text.slice(0, 500);
    const phone = findLinePhone(t);
    if (phone && phone.value !== current.msisdn) values.msisdn = phone.value;
    const id = detectSwitchType(t, this.rules) ?? sameKindSwitch(t, context);
    if (id && id !== current.switchType) values.switchType = id;
    else if (!id) {
      const to = this.targetTypeIn(t);
      if (to && to !== current.toType && (!current.switchType || this.rules.switchTypes[current.switchType].to !== to)) values.toType = to;
    }
    const plan = findPlan(t, this.knowledge.plans, this.deps.today());
    const switchType = values.switchType ?? current.switchType;
    if (plan && plan.id !== current.planId && (!switchType || this.rules.switchTypes[switchType].to === plan.type)) values.planId = plan.id;
    return { values };
  }

  /** A lone type word that is where the customer wants to go ("ke postpaid", "go prepaid"), not the line's own. */
  private targetTypeIn(said: string): LineType | undefined {
    const text = withoutTypesNotWanted(said);
    const words = [...text.matchAll(TYPE_WORD)];
    if (words.length !== 1) return undefined;
    const m = words[0]!;
    const before = text.slice(0, m.index);
    const after = text.slice((m.index ?? 0) + m[0].length);
    if (OWN_TYPE_BEFORE.test(before) || OWN_TYPE_AFTER.test(after)) return undefined;
    // the type in the name of the line's own plan ("from my current plan (Demo Postpaid 40)") is where it is
    const own = ownPlanSpan(text, this.knowledge.plans, this.deps.today());
    if (own && (m.index ?? 0) >= own.index && (m.index ?? 0) < own.end) return undefined;
    return typeOf(m[1]!);
  }

  protected override invalidate(values: EligibilityValues, changed: (keyof EligibilityValues)[]): void {
    if (changed.includes('msisdn')) {
      // another line: nothing proved or read for the old one carries over
      for (const k of ['verified', 'codeSent', 'resend', 'minutes', 'deadCode', 'stop', 'lineType', 'anyPlan', 'shown', 'next'] as const) delete values[k];
    }
    if (changed.includes('switchType') || changed.includes('toType') || changed.includes('planId')) {
      delete values.anyPlan;
      delete values.shown;
      delete values.next;
    }
    if (changed.includes('switchType') && values.switchType) {
      const to = this.rules.switchTypes[values.switchType].to;
      if (values.planId && !changed.includes('planId') && this.knowledge.plans.find((p) => p.id === values.planId)?.type !== to) delete values.planId;
      delete values.toType;
    }
    if (changed.includes('toType') && values.toType && !changed.includes('switchType')) {
      if (values.switchType && this.rules.switchTypes[values.switchType].to !== values.toType) delete values.switchType;
      if (values.planId && this.knowledge.plans.find((p) => p.id === values.planId)?.type !== values.toType) delete values.planId;
    }
    if (changed.includes('planId') && values.planId && !changed.includes('switchType')) {
      const plan = this.knowledge.plans.find((p) => p.id === values.planId)!;
      if (values.switchType && this.rules.switchTypes[values.switchType].to !== plan.type) delete values.switchType;
    }
  }

  // ------------------------------------------------------------------ the line and its code

  private async answerPhone(text: string, context: TurnContext): Promise<SlotAnswer<EligibilityValues>> {
    const found = findPhone(text);
    if (found) return { ok: true, apply: (v) => this.setLine(v, found.value) };
    const parsed = parsePhone(text);
    if (parsed.ok) return { ok: true, apply: (v) => this.setLine(v, parsed.value) };
    // a code where the number was expected: the "code sent" reply of an earlier turn may have been lost to a
    // crash after the code was committed; the conversation's pending code still counts
    const code = findCode(text);
    const pending = code ? await this.deps.otp.pendingLine(context.activity.conversation?.id ?? 'none') : undefined;
    if (code && pending) {
      const verdict = await this.checkCode(context, pending, code);
      return {
        ok: true,
        apply: (v) => {
          this.setLine(v, pending);
          v.codeSent = true;
          verdict.apply(v);
        },
        ...(verdict.problem ? { problem: verdict.problem } : {}),
      };
    }
    return { ok: false, key: `eligibility.retry.phone.${parsed.reason}` };
  }

  private setLine(v: EligibilityValues, msisdn: string): void {
    if (v.msisdn !== msisdn) this.invalidate(Object.assign(v, { msisdn }), ['msisdn']);
  }

  private async askCode(context: TurnContext, v: EligibilityValues): Promise<Reply | undefined> {
    if (v.stop) {
      await this.say(context, v.stop.key, v.stop.vars);
      return undefined;
    }
    if (v.deadCode) {
      return {
        text: this.t(context, 'eligibility.otp.ask-resend'),
        choices: [
          { title: this.t(context, 'eligibility.button.resend'), value: this.t(context, 'eligibility.button.resend'), id: 'eligibility:resend' },
          { title: this.t(context, 'eligibility.button.stop'), value: this.t(context, 'eligibility.button.stop'), id: 'eligibility:stop' },
        ],
      };
    }
    if (!v.codeSent) {
      const sent = await this.sendCode(context, v.msisdn!, v.resend === true);
      if (!sent) return undefined;
      v.codeSent = true;
      v.minutes = sent.minutes;
      delete v.resend;
    }
    return {
      text: this.t(context, 'eligibility.otp.ask', { phone: maskPhone(v.msisdn!), minutes: v.minutes ?? Math.ceil(this.deps.otp.ttlSeconds / 60) }),
      choices: [{ title: this.t(context, 'eligibility.button.resend'), value: this.t(context, 'eligibility.button.resend'), id: 'eligibility:resend' }],
    };
  }

  private isResend(text: string): boolean {
    if (text === 'eligibility:resend') return true;
    const n = normalise(text);
    if ((['ms', 'en'] as const).some((l) => n === normalise(this.catalog.t(l, 'eligibility.button.resend')))) return true;
    return RESEND_RE.test(n);
  }

  private async answerCode(text: string, context: TurnContext, v: EligibilityValues): Promise<SlotAnswer<EligibilityValues>> {
    const code = findCode(text);
    // a code is a code at any question of this step, "shall I send a new one?" included (issue 15)
    if (code) return this.checkCode(context, v.msisdn!, code);
    const resend = () => ({ ok: true as const, apply: (x: EligibilityValues) => Object.assign(x, { codeSent: false, resend: true, deadCode: false }) });
    if (this.isResend(text)) return resend();
    if (v.deadCode) {
      const yes = detectCommand(text) ?? yesNoIn(text);
      if (yes === 'yes') return resend();
      if (yes === 'no' || text === 'eligibility:stop' || (['ms', 'en'] as const).some((l) => normalise(text) === normalise(this.catalog.t(l, 'eligibility.button.stop')))) {
        return { ok: true, apply: (x) => (x.stop = { key: 'eligibility.stopped' }) };
      }
      return { ok: false, key: 'engine.confirm.retry' };
    }
    return { ok: false, key: 'eligibility.otp.format' };
  }

  /**
   * Asks the code service for a code. Its reply is the same whether or not the number is a line of ours (the
   * SMS goes only to lines; the wording says "if this number is ours"); it is given only once the code and
   * its SMS are committed. Nothing here logs the code. Undefined: refused (said here).
   */
  private async sendCode(context: TurnContext, msisdn: string, resend: boolean): Promise<{ minutes: number } | undefined> {
    const conversationId = context.activity.conversation?.id ?? 'none';
    const lang = this.lang(context);
    const address = clientAddress(context);
    try {
      const issued = await this.deps.otp.issue({
        msisdn,
        conversationId,
        resend,
        ...(address ? { address } : {}),
        message: (code, minutes) => this.catalog.t(lang, 'eligibility.otp.sms', { code, minutes }),
      });
      if (!issued.ok) {
        const minutes = Math.max(1, Math.ceil(issued.retryAfterSeconds / 60));
        this.deps.log.info({ line: maskPhone(msisdn), reason: issued.reason }, 'one-time code refused');
        await this.say(context, issued.reason === 'unavailable' ? 'eligibility.otp.unavailable' : 'eligibility.otp.rate-limited', { minutes });
        return undefined;
      }
      this.deps.log.info({ line: maskPhone(msisdn) }, 'one-time code requested');
      return { minutes: Math.max(1, Math.ceil(issued.expiresInSeconds / 60)) };
    } catch (err) {
      this.deps.log.warn({ err, line: maskPhone(msisdn) }, 'could not issue the one-time code');
      await this.say(context, 'eligibility.error.directory');
      return undefined;
    }
  }

  /**
   * Checks a typed code. Every verdict is an answer taken (a wrong code is counted by the code service, not as a
   * wrong answer of the engine): proved; wrong (said, with the tries left); no code pending (a new one is sent);
   * dead (expired or too many wrong: said truthfully, and a new one offered); too many guesses (the check stops).
   */
  private async checkCode(context: TurnContext, msisdn: string, code: string): Promise<SlotAnswer<EligibilityValues> & { ok: true }> {
    const address = clientAddress(context);
    const verdict = await this.deps.otp.verify({ msisdn, conversationId: context.activity.conversation?.id ?? 'none', code, ...(address ? { address } : {}) });
    if (verdict.ok) {
      this.deps.log.info({ line: maskPhone(msisdn) }, 'line verified by one-time code');
      return { ok: true, apply: (v) => Object.assign(v, { verified: true, deadCode: false }) };
    }
    switch (verdict.reason) {
      case 'wrong':
        return { ok: true, apply: () => undefined, problem: { key: 'eligibility.otp.wrong', vars: { tries: verdict.triesLeft } } };
      case 'none':
        return { ok: true, apply: (v) => Object.assign(v, { codeSent: false, deadCode: false }) };
      case 'guess-limited':
        return {
          ok: true,
          apply: (v) => (v.stop = { key: 'eligibility.otp.guess-limited', vars: { minutes: Math.max(1, Math.ceil(verdict.retryAfterSeconds / 60)) } }),
        };
      default:
        return {
          ok: true,
          apply: (v) => (v.deadCode = true),
          problem: { key: verdict.reason === 'expired' ? 'eligibility.otp.expired' : 'eligibility.otp.too-many' },
        };
    }
  }

  // ------------------------------------------------------------------ the line's record, the switch, the plan

  /** The proved line's record: its type (and the switch it gives); undefined always (the slot fills itself, or the check stops: said). */
  private async lookUp(context: TurnContext, v: EligibilityValues): Promise<undefined> {
    const msisdn = v.msisdn!;
    const fromSender = msisdn === v.sender;
    let line: LineRecord | undefined;
    try {
      line = await this.deps.directory.findLine(msisdn);
    } catch (err) {
      this.deps.log.warn({ err, line: maskPhone(msisdn) }, 'subscriber directory lookup failed');
      await this.say(context, 'eligibility.error.directory');
      return undefined;
    }
    if (line) {
      v.lineType = line.type;
      return undefined;
    }
    // no such line: the number is asked again (what the customer wants checked is kept); the chat's own number
    // (WhatsApp's sender) is simply not a Digi line: the customer names the line to check
    await this.say(context, fromSender ? 'eligibility.sender-not-line' : 'eligibility.line-not-found', { phone: maskPhone(msisdn) });
    if (fromSender) delete v.sender;
    this.invalidate(v, ['msisdn']);
    delete v.msisdn;
    return undefined;
  }

  /**
   * A condition of the line that fails in every switch it can make (checked against each switch's first plan), or
   * undefined when one of them may go through or the line cannot be read now (then the switch is asked as usual).
   */
  private async blockedEverywhere(msisdn: string, ids: readonly SwitchTypeId[]): Promise<{ condition: ConditionId; status: LineRecord['status'] } | undefined> {
    let line: LineRecord | undefined;
    try {
      line = await this.deps.directory.findLine(msisdn);
    } catch {
      return undefined;
    }
    if (!line || ids.length === 0) return undefined;
    const failing = ids.map((id) => {
      const to = this.rules.switchTypes[id].to;
      const target = this.candidates(id, line).at(0) ?? this.knowledge.plans.find((p) => p.type === to);
      if (!target) return undefined;
      const result = this.check(id, target, line);
      return result.eligible ? undefined : new Set(result.items.filter((i) => !i.ok).map((i) => i.condition));
    });
    if (failing.some((f) => !f)) return undefined;
    const shared = [...failing[0]!].find((c) => c !== 'target-plan' && c !== 'line-type' && failing.every((f) => f!.has(c)));
    return shared ? { condition: shared as ConditionId, status: line.status } : undefined;
  }

  private async findLine(context: TurnContext, msisdn: string): Promise<LineRecord | undefined> {
    try {
      const line = await this.deps.directory.findLine(msisdn);
      if (!line) await this.say(context, 'eligibility.line-not-found', { phone: maskPhone(msisdn) });
      return line;
    } catch (err) {
      this.deps.log.warn({ err, line: maskPhone(msisdn) }, 'subscriber directory lookup failed');
      await this.say(context, 'eligibility.error.directory');
      return undefined;
    }
  }

  /** The switch from the line's type to a type. */
  private switchTo(lineType: LineType, to: LineType): SwitchTypeId | undefined {
    return SWITCH_TYPES.find((id) => this.rules.switchTypes[id].from === lineType && this.rules.switchTypes[id].to === to);
  }

  private async askSwitchType(context: TurnContext, v: EligibilityValues): Promise<Reply | undefined> {
    const lineType = v.lineType!;
    if (v.switchType && this.rules.switchTypes[v.switchType].from !== lineType) {
      // a switch this line cannot make is not checked: the line's own switches are offered
      await this.say(context, 'eligibility.retry.switchType-line', { type: this.t(context, `eligibility.type.${lineType}`) });
      delete v.switchType;
      delete v.planId;
      delete v.toType;
    }
    const plan = v.planId ? this.knowledge.plans.find((p) => p.id === v.planId) : undefined;
    const to = plan?.type ?? v.toType;
    const derived = to ? this.switchTo(lineType, to) : undefined;
    if (derived) {
      v.switchType = derived;
      return undefined;
    }
    const lang = this.lang(context);
    const ids = SWITCH_TYPES.filter((id) => this.rules.switchTypes[id].from === lineType);
    // a line that can make none of its switches for one reason they share (not active; two changes already this month)
    // is not asked which: that is said, and the first one's checklist shows it
    const blocked = await this.blockedEverywhere(v.msisdn!, ids);
    if (blocked) {
      const phone = maskPhone(v.msisdn!);
      if (blocked.condition === 'line-active') await this.say(context, 'eligibility.inactive-any', { phone, status: this.t(context, `eligibility.status.${blocked.status}`) });
      else await this.say(context, 'eligibility.none-possible', { phone, condition: this.rules.conditions[blocked.condition][lang] });
      v.switchType = ids[0];
      return undefined;
    }
    return {
      text: this.t(context, 'eligibility.ask.switchType'),
      choices: ids.map((id) => ({ title: this.rules.switchTypes[id].label[lang], value: this.rules.switchTypes[id].label[lang], id: `switch:${id}` })),
    };
  }

  private answerSwitchType(text: string, context: TurnContext, v: EligibilityValues): SlotAnswer<EligibilityValues> {
    const lineType = v.lineType!;
    const carried = /^switch:(.+)$/.exec(text)?.[1];
    const plan = findPlan(text, this.knowledge.plans, this.deps.today());
    const single = [...text.matchAll(TYPE_WORD)];
    const id =
      (carried && (SWITCH_TYPES as readonly string[]).includes(carried) ? (carried as SwitchTypeId) : undefined) ??
      detectSwitchType(text, this.rules) ??
      (single.length === 1 ? this.switchTo(lineType, typeOf(single[0]![1]!)) : undefined) ??
      (plan ? this.switchTo(lineType, plan.type) : undefined);
    if (!id) return { ok: false, key: 'eligibility.retry.switchType' };
    if (this.rules.switchTypes[id].from !== lineType) {
      return { ok: false, key: 'eligibility.retry.switchType-line', vars: { type: this.t(context, `eligibility.type.${lineType}`) } };
    }
    return {
      ok: true,
      apply: (x) => {
        x.switchType = id;
        if (plan && plan.type === this.rules.switchTypes[id].to) x.planId = plan.id;
      },
    };
  }

  /** The plans of the switch's target type the line could move to (offered, not its current plan). */
  private candidates(switchType: SwitchTypeId, line: LineRecord): Plan[] {
    const to = this.rules.switchTypes[switchType].to;
    const offered = this.knowledge.plans.filter((p) => p.type === to && p.offered && p.id !== line.planId);
    return offered.sort((a, b) => a.monthlyFeeSen - b.monthlyFeeSen);
  }

  private check(switchType: SwitchTypeId, target: Plan, line: LineRecord): EligibilityResult {
    const currentPlan = this.knowledge.plans.find((p) => p.id === line.planId);
    return checkEligibility({ rules: this.rules, switchType, target, line, today: this.deps.today(), ...(currentPlan ? { currentPlan } : {}) });
  }

  /** Asks the plan only when the verdict depends on it; else the switch is checked as a whole (the slot fills itself). */
  private async askPlan(context: TurnContext, v: EligibilityValues): Promise<Reply | undefined> {
    const line = await this.findLine(context, v.msisdn!);
    if (!line) return undefined;
    const plans = this.candidates(v.switchType!, line);
    const verdicts = new Set(plans.map((p) => this.check(v.switchType!, p, line).eligible));
    if (plans.length > 0 && verdicts.size === 1) {
      v.anyPlan = true;
      return undefined;
    }
    const to = this.rules.switchTypes[v.switchType!].to;
    const shown = plans.length > 0 ? plans : this.knowledge.plans.filter((p) => p.type === to);
    return {
      text: this.t(context, plans.length > 0 ? 'eligibility.ask.plan-depends' : 'eligibility.ask.plan', { type: this.t(context, `eligibility.type.${to}`) }),
      choices: shown.slice(0, 5).map((p) => ({ title: p.name, value: p.name })),
    };
  }

  private answerPlan(text: string, context: TurnContext, v: EligibilityValues): SlotAnswer<EligibilityValues> {
    const to = this.rules.switchTypes[v.switchType!].to;
    const plan = findPlan(text, this.knowledge.plans, this.deps.today());
    if (!plan) return { ok: false, key: 'eligibility.retry.plan' };
    if (plan.type !== to) return { ok: false, key: 'eligibility.retry.plan-type', vars: { plan: plan.name, type: this.t(context, `eligibility.type.${to}`) } };
    return { ok: true, apply: (x) => (x.planId = plan.id) };
  }

  // ------------------------------------------------------------------ the result and the next steps

  private async showResult(context: TurnContext, v: EligibilityValues): Promise<Reply | undefined> {
    if (v.shown) return undefined;
    const line = await this.findLine(context, v.msisdn!);
    if (!line) return undefined;
    const switchType = v.switchType!;
    const currentPlan = this.knowledge.plans.find((p) => p.id === line.planId);
    const anyOf = v.planId ? undefined : this.candidates(switchType, line);
    const target = v.planId ? this.knowledge.plans.find((p) => p.id === v.planId)! : anyOf![0]!;
    const result = this.check(switchType, target, line);
    const lang = this.lang(context);
    const rendered = resultReply({ catalog: this.catalog, knowledge: this.knowledge, today: this.deps.today }, lang, result, line, target, currentPlan, anyOf);
    const prorata: ProRataOptions['prefill'] = {
      kind: result.prorata,
      ...(v.planId ? { newFeeSen: target.monthlyFeeSen, newPlanId: target.id } : {}),
      ...(currentPlan ? { oldFeeSen: currentPlan.monthlyFeeSen, oldPlanId: currentPlan.id } : {}),
    };
    this.deps.log.info({ line: maskPhone(line.msisdn), switchType, eligible: result.eligible }, 'eligibility checked');
    recordOutcome(context, { procedure: 'eligibility', msisdn: line.msisdn, eligible: result.eligible, switchType, ...(v.planId ? { planId: target.id } : {}) });
    const choices: Choice[] = [];
    const next = (key: string, id: string): Choice => ({ title: this.t(context, key), value: this.t(context, key), id });
    if (this.hasDialog(context, 'prorata')) choices.push(next('eligibility.next.prorata', 'eligibility:prorata'));
    if (this.hasDialog(context, 'ticket')) choices.push(next('eligibility.next.ticket', 'eligibility:ticket'));
    v.shown = { prorata, summary: rendered.summary, choices: choices.length };
    const reply: Reply = { text: rendered.text, card: rendered.card };
    if (choices.length === 0) {
      // nothing to offer: the result is said, and the check ends
      await this.send(context, reply);
      v.next = 'none';
      return undefined;
    }
    return { ...reply, choices };
  }

  /** Whether a next step's dialog is registered beside this one (the turn's dialog context, kept by begin/continue). */
  private hasDialog(context: TurnContext, id: string): boolean {
    return !!(context.turnState.get(DIALOG_CONTEXT) as DialogContext | undefined)?.findDialog(id);
  }

  /** The next step pressed: the press's carried choice; from text-only channels, the button's label. */
  private nextChoiceOf(text: string, context?: TurnContext): NextStep | undefined {
    const carried = /^eligibility:(prorata|ticket)$/.exec((context && choiceOf(context.activity)) ?? text)?.[1];
    if (carried) return carried as NextStep;
    const n = normalise(text);
    for (const lang of ['ms', 'en'] as const) {
      if (n === normalise(this.catalog.t(lang, 'eligibility.next.prorata'))) return 'prorata';
      if (n === normalise(this.catalog.t(lang, 'eligibility.next.ticket'))) return 'ticket';
    }
    return undefined;
  }

  protected async act(_context: TurnContext, v: EligibilityValues, dc: DialogContext): Promise<Outcome> {
    if (v.next === 'prorata') {
      const options: ProRataOptions = { prefill: v.shown?.prorata };
      await dc.replaceDialog('prorata', options);
    } else if (v.next === 'ticket') {
      const options: ProcedureOptions = { handover: this.ticketHandover(v) };
      await dc.replaceDialog('ticket', options);
    }
    return { done: true };
  }

  private stateOf(dc: DialogContext): EngineState<EligibilityValues> | undefined {
    return dc.activeDialog?.state.engine as EngineState<EligibilityValues> | undefined;
  }

  /** The bill of the switch checked (its kind and plans), for a pro-rata asked for in words after the result (handsOver). */
  prefillFor(dc: DialogContext, target: string): ProRataOptions['prefill'] | undefined {
    return target === 'prorata' ? this.stateOf(dc)?.values.shown?.prorata : undefined;
  }

  /**
   * A ticket asked for in words after a verdict ("nak buat aduan pasal ni" once the line is found suspended) is about
   * that verdict, as the ticket its button offers (handoverOf).
   */
  handoverFor(dc: DialogContext, target: string): ProcedureOptions['handover'] | undefined {
    const v = this.stateOf(dc)?.values;
    return target === 'ticket' && v?.shown ? this.ticketHandover(v) : undefined;
  }

  private ticketHandover(v: EligibilityValues): NonNullable<ProcedureOptions['handover']> {
    return { from: 'eligibility', category: 'plan-switch', summary: v.shown?.summary ?? '' };
  }

  /** The check is done once its result is shown: what is left is an offer of next steps. */
  finished(dc: DialogContext): boolean {
    const v = this.stateOf(dc)?.values;
    return !!v && this.doneWith(v);
  }

  protected override doneWith(values: EligibilityValues): boolean {
    return !!values.shown;
  }

  /**
   * The result shown again, in the turn's language ("eh boleh terangkan dlm BM tak? kenapa x boleh tukar?" right after
   * it): the line is looked up again, nothing else is asked. False when no result was shown.
   */
  async showAgain(dc: DialogContext): Promise<boolean> {
    const v = this.stateOf(dc)?.values;
    if (!v?.shown) return false;
    delete v.shown;
    delete v.next;
    await dc.repromptDialog();
    return true;
  }

  /**
   * The words of the switch a shown result is about ("tukar Postpaid kepada Prepaid", "switch Postpaid to Prepaid"): a
   * question that refers back to it ("ok where do I go to do it?") is read with them (src/bot/supportBot.ts).
   */
  topicOf(dc: DialogContext, lang: 'ms' | 'en'): string | undefined {
    const v = this.stateOf(dc)?.values;
    if (!v?.shown || !v.switchType) return undefined;
    return `${lang === 'ms' ? 'tukar' : 'switch'} ${this.rules.switchTypes[v.switchType].label[lang]}`;
  }

  /** A switch said again is held when the target type named before is its target ("tukar ke prepaid", then "postpaid ke prepaid"). */
  protected override holds(values: EligibilityValues, key: keyof EligibilityValues, value: unknown): boolean {
    if (key === 'switchType' && typeof value === 'string' && values.switchType === undefined) {
      const [from, to] = value.split('-');
      return values.toType === to && (values.lineType === undefined || values.lineType === from);
    }
    return super.holds(values, key, value);
  }

  override absorbs(dc: DialogContext, text: string): boolean {
    const state = this.stateOf(dc);
    if (state?.values.shown) return !!this.nextChoiceOf(text, dc.context) || this.checksAgain(text, dc.context, state.values);
    if (state && (state.asking === 'code' || state.asking === 'line') && (findCode(text) || this.isResend(text.toLowerCase()))) return true;
    // a number, even the one already given ("nombor 013-100 0002" again), is this check's answer, not a new request
    if (state && findPhone(text.slice(0, 500))) return true;
    return super.absorbs(dc, text);
  }

  /**
   * A request for this check rather than a question about the rules: a message that names a line and what to
   * switch to ("can my line 012-100 0001 switch to prepaid?"), or asks to check the customer's own line for a
   * switch ("nak check line sy boleh tukar dari postpaid ke prepaid").
   */
  override givesValues(text: string, context?: TurnContext): boolean {
    const t = text.slice(0, 500);
    const target = !!(detectSwitchType(t, this.rules) || this.targetTypeIn(t) || findPlan(t, this.knowledge.plans, this.deps.today()));
    // a number given with the question whether a switch is possible ("skrg nak tukar lagi, boleh ke? no sy 012-100
    // 0004") asks for that line's check: which switch is asked next, among those the line can make
    // (a number given as the customer's contact, "contact me at 012-…", is no line to check)
    if (findLinePhone(t)) return target || (ASKS_IF_POSSIBLE.test(t) && SWITCHING.test(t)) || (!!context && super.givesValues(t, context));
    if (COMING_BACK_LATER.test(t)) return false;
    // on WhatsApp the chat's number is a proved line: "line ni postpaid, nak tukar ke pelan postpaid lain, boleh
    // ke?", "can this number switch to another prepaid plan?" ask for its check, which needs nothing more
    if (target && context && verifiedPhone(context) && ASKS_IF_POSSIBLE.test(t)) return true;
    return target && CHECK_MY_LINE.test(t);
  }

  /**
   * Whether a short question asks if the customer's own line can switch ("hey can i change my plan", "boleh sy tukar
   * pelan x") where the chat's number is a proved line (WhatsApp): the check of that line answers it, needing nothing
   * more. Read only where the recognizer hesitates between the rules and the check (src/bot/supportBot.ts).
   */
  asksOwnLine(text: string, context: TurnContext): boolean {
    const t = text.slice(0, 200);
    return !!verifiedPhone(context) && t.trim().split(/\s+/).length <= OWN_LINE_QUESTION_WORDS && !/\d/.test(t) && (CHECK_MY_LINE.test(t) || CAN_SWITCH_BARE.test(t));
  }

  /**
   * A "what if" right after the result asks for the check again: with a number ("what if it's 012-100 0002?"), or
   * asking whether another switch is possible ("kalau tukar ke postpaid pulak boleh?": the same line, proved).
   */
  asksAgain(text: string): boolean {
    const t = text.slice(0, 500);
    // (going back afterwards asks about the old plan: "lepas tukar, kalau x suka boleh patah balik ke prepaid lama?",
    // "can I come back to my Demo Postpaid 40 plan later?")
    if (GOING_BACK.test(t) && !findPhone(t)) return false;
    if (/\d|@/.test(t)) return true;
    const target = !!(detectSwitchType(t, this.rules) || this.targetTypeIn(t) || findPlan(t, this.knowledge.plans, this.deps.today()));
    // (or names nothing but the switch: "what if to another prepaid plan instead?"; "kalau tukar ke prepaid, kredit
    // hangus ke?" asks about a rule)
    // (its last sentence alone, after a reaction to the verdict: "wah cannot ah. ok then what if postpaid instead?")
    const last = t.split(/[.!?]+/).map((x) => x.trim()).filter(Boolean).pop() ?? '';
    return target && (ASKS_IF_POSSIBLE.test(t) || this.onlySwitchWords(t) || (last !== t.trim() && this.onlySwitchWords(last)));
  }

  /** Whether a short message holds no word but those of a switch (types, plan, another) and words that carry no topic. */
  private onlySwitchWords(text: string): boolean {
    const lex = lexicon();
    const tokens = tokenize(text, ONLY_SWITCH_MAX_WORDS + 1);
    if (tokens.length > ONLY_SWITCH_MAX_WORDS) return false;
    const carriesNothing = (w: string) =>
      lex.stopwords.ms.has(w) || lex.stopwords.en.has(w) || lex.commands.politeness.has(w) || lex.whatIf.has(w) || SWITCH_WORD.test(w);
    return tokens.every(carriesNothing);
  }

  /** A correction, or a "what if" that asks for the check again (asksAgain), giving a value of it. */
  private checksAgain(text: string, context: TurnContext, values: EligibilityValues): boolean {
    const again = !!findCorrection(text) || (asksWhatIf(asAnalysedText(turnInput(context, text), turnLexicon(context) ?? lexicon())) && this.asksAgain(text));
    return again && Object.keys(this.extract(text, context, values).values).length > 0;
  }

  /** Set aside while its code was awaited, the code typed afterwards takes the check back up. */
  override answersPending(text: string, values: EligibilityValues): boolean {
    return !!values.msisdn && !!values.codeSent && !values.verified && !values.deadCode && !!findCode(text.slice(0, 500));
  }

  /** A number is this check's value, even the WhatsApp chat's own (already known: "013-1000004" typed from it). */
  override givesAnyValue(text: string, context: TurnContext): boolean {
    const t = text.slice(0, 500);
    const line = findLinePhone(t);
    // (not a number given as where to reach the customer in a message that names no switch: "Boleh minta pegawai telefon
    // saya balik? Nombor 013-…" asks for a call back)
    if (line && CONTACT_ME.test(t) && !SWITCHING.test(t)) return false;
    return !!line || super.givesAnyValue(text, context);
  }

  override async beginDialog(dc: DialogContext, options?: ProcedureOptions): Promise<DialogTurnResult> {
    dc.context.turnState.set(DIALOG_CONTEXT, dc);
    return super.beginDialog(dc, options);
  }

  /** At the next-steps question, a message that is not one of the buttons ends the check and goes back to the bot. */
  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    dc.context.turnState.set(DIALOG_CONTEXT, dc);
    const state = this.stateOf(dc);
    const text = SlotProcedure.textOf(dc.context);
    if (state?.values.shown && !this.nextChoiceOf(text, dc.context)) {
      // "sorry I meant 012-100 0002" or "kalau tukar ke postpaid pulak boleh?" right after the result: the check again
      // with the value given
      if (this.checksAgain(text, dc.context, state.values)) {
        delete state.values.shown;
        delete state.values.next;
        return super.continueDialog(dc);
      }
      await dc.endDialog();
      return { status: DialogTurnStatus.empty };
    }
    return super.continueDialog(dc);
  }
}
