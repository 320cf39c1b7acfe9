/**
 * EligibilityDialog: may this line switch plan? It asks for the line first (any usual Malaysian form) — or
 * takes WhatsApp's verified sender — proves the customer holds it (a one-time code by SMS elsewhere), then
 * offers only the switches that line's type can make and the target plan (from the catalogue), applies the
 * rules of knowledge/plan-rules.yaml to the line's record and shows the ✓/✗ checklist (dialogs/views/
 * eligibility.ts), with the next steps (the pro-rata bill, a ticket). A number, code, switch type or plan is
 * read at any step (a different number is a correction: that line is proved and checked instead). No account
 * data is shown before the code is right, and the replies before that are the same whether or not the number
 * is a line of ours. Not yet on the slot engine (dialogs/engine.ts): its loop is the older hand-rolled one.
 */
import type { TurnContext } from 'botbuilder';
import {
  type DialogContext,
  type DialogTurnResult,
  DialogTurnStatus,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { clientAddress, recordOutcome, verifiedPhone } from '../src/bot/context';
import { absorbs } from '../src/bot/procedure';
import { type Choice, choiceOf, toActivity } from '../src/bot/reply';
import type { ProcedureOptions } from '../src/bot/supportBot';
import {
  type LineRecord,
  checkEligibility,
  findCode,
  findCorrection,
  findPhone,
  maskPhone,
  parsePhone,
} from '../src/domain';
import type { KnowledgeBase, Lang, SwitchTypeId } from '../src/knowledge/types';
import { SWITCH_TYPES } from '../src/knowledge/types';
import type { MessageCatalog, Vars } from '../src/language/catalog';
import { detectCommand } from '../src/language/commands';
import type { Logger } from '../src/logging';
import type { OtpService } from '../src/services/otp';
import type { SubscriberDirectory } from '../src/services/subscribers';
import { ProcedureDialog } from './base';
import { type Today, detectSwitchType, findPlan, normalise } from './planswitch-common';
import type { ProRataOptions } from './prorata';
import { resultReply } from './views/eligibility';

const LOOP = 'eligibility.loop';
const ANSWER = 'eligibility.answer';
const NEXT = 'eligibility.next';
const MAX_TRIES = 3;

type Asking = 'switchType' | 'plan' | 'phone' | 'code' | 'resend';

interface EligibilityState {
  /** The line's type, known once the line is proved held (then only its switches are offered). */
  lineType?: 'prepaid' | 'postpaid';
  switchType?: SwitchTypeId;
  planId?: string;
  msisdn?: string;
  verified?: boolean;
  codeSent?: boolean;
  /** The customer asked for a new code (else a live code of this conversation is reused). */
  resend?: boolean;
  /** Minutes the code sent (or reused) stays valid. */
  minutes?: number;
  asking?: Asking;
  problem?: { key: string; vars?: Vars };
  tries?: Partial<Record<Asking, number>>;
  /** Set once the result is shown: what the next steps hand over. */
  outcome?: { prorata: ProRataOptions['prefill']; summary: string };
}

export interface EligibilityDeps {
  catalog: MessageCatalog;
  knowledge: KnowledgeBase;
  directory: SubscriberDirectory;
  otp: OtpService;
  today: Today;
  log: Logger;
}

export class EligibilityDialog extends ProcedureDialog {
  private readonly knowledge: KnowledgeBase;

  constructor(private readonly deps: EligibilityDeps) {
    super('eligibility', deps.catalog);
    this.knowledge = deps.knowledge;
    this.addDialog(new TextPrompt(ANSWER));
    this.addDialog(new TextPrompt(NEXT));
    this.addDialog(new WaterfallDialog(LOOP, [this.askNext.bind(this), this.receive.bind(this)]));
    this.initialDialogId = LOOP;
  }

  override async beginDialog(outerDc: DialogContext, options?: ProcedureOptions): Promise<DialogTurnResult> {
    const opts = options ?? {};
    const state: EligibilityState = { tries: {} };
    const text = opts.text ?? '';
    const fromEntry = /^planswitch\.conditions-(.+)$/.exec(opts.entryId ?? '')?.[1];
    if (fromEntry && (SWITCH_TYPES as readonly string[]).includes(fromEntry)) state.switchType = fromEntry as SwitchTypeId;
    else if (text) state.switchType = detectSwitchType(text, this.knowledge.rules);
    if (text) {
      const plan = findPlan(text, this.knowledge.plans, this.deps.today());
      if (plan && (!state.switchType || plan.type === this.knowledge.rules.switchTypes[state.switchType].to)) state.planId = plan.id;
    }
    const sender = verifiedPhone(outerDc.context);
    if (sender) {
      state.msisdn = sender;
      state.verified = true;
    } else if (text) {
      const phone = findPhone(text);
      if (phone) state.msisdn = phone.value;
    }
    return super.beginDialog(outerDc, state);
  }

  /** At the next-steps question, a message that is not one of the buttons ends the check and goes back to the bot. */
  override async continueDialog(outerDc: DialogContext): Promise<DialogTurnResult> {
    const child = this.createChildContext(outerDc);
    if (child.activeDialog?.id === NEXT) {
      const text = outerDc.context.activity.text ?? '';
      if (!this.nextChoiceOf(text, outerDc.context)) {
        await outerDc.endDialog();
        return { status: DialogTurnStatus.empty };
      }
    }
    return super.continueDialog(outerDc);
  }

  /**
   * Whether a message is this check's own answer (the router asks before treating it as a new question or
   * procedure): a next-step button once the result is shown; before, a number, a code, a switch type or a plan.
   */
  absorbs(outerDc: DialogContext, text: string): boolean {
    // a procedure the next steps started runs inside this one (pro-rata, ticket): it decides
    const child = this.createChildContext(outerDc);
    const inner = child?.activeDialog?.id;
    if (child && inner && inner !== LOOP && inner !== NEXT && inner !== ANSWER) return absorbs(child.findDialog(inner), child, text);
    if (this.finished(outerDc)) return !!this.nextChoiceOf(text, outerDc.context);
    return !!(findPhone(text) || findCode(text) || detectSwitchType(text, this.knowledge.rules) || findPlan(text, this.knowledge.plans, this.deps.today()) || this.isResend(text));
  }

  /** A message that names a line and what to switch to is a request for this check. */
  givesValues(text: string): boolean {
    return !!findPhone(text) && !!(detectSwitchType(text, this.knowledge.rules) || findPlan(text, this.knowledge.plans, this.deps.today()));
  }

  /** The check is done once its result is shown: what is left is an offer of next steps. */
  finished(outerDc: DialogContext): boolean {
    return this.createChildContext(outerDc)?.activeDialog?.id === NEXT;
  }

  /** The next step pressed: the press's carried choice; from text-only channels, the button's label. */
  private nextChoiceOf(text: string, context?: TurnContext): 'prorata' | 'ticket' | undefined {
    const carried = /^eligibility:(prorata|ticket)$/.exec((context && choiceOf(context.activity)) ?? '')?.[1];
    if (carried) return carried as 'prorata' | 'ticket';
    const n = normalise(text);
    for (const lang of ['ms', 'en'] as const) {
      if (n === normalise(this.catalog.t(lang, 'eligibility.next.prorata'))) return 'prorata';
      if (n === normalise(this.catalog.t(lang, 'eligibility.next.ticket'))) return 'ticket';
    }
    return undefined;
  }

  private async askNext(step: WaterfallStepContext) {
    const state = step.options as EligibilityState;
    const { context } = step;
    const lang = this.lang(context);
    const rules = this.knowledge.rules;
    const problem = state.problem;
    delete state.problem;
    if (problem) await this.say(context, problem.key, { vars: problem.vars });
    (step.values as { state?: EligibilityState }).state = state;

    if (!state.msisdn) {
      state.asking = 'phone';
      return this.ask(step, ANSWER, 'eligibility.ask.phone');
    }
    if (!state.verified) {
      if (state.asking === 'resend') {
        return this.ask(step, ANSWER, 'eligibility.otp.ask-resend', {
          choices: this.choices(context, ['eligibility.button.resend', 'eligibility.button.stop']),
        });
      }
      if (!state.codeSent) {
        const sent = await this.sendCode(step.context, state.msisdn, state.resend === true);
        if (sent === 'stopped') return step.endDialog();
        state.codeSent = true;
        state.minutes = sent.minutes;
        delete state.resend;
      }
      state.asking = 'code';
      return this.ask(step, ANSWER, 'eligibility.otp.ask', {
        vars: { phone: maskPhone(state.msisdn), minutes: state.minutes ?? Math.ceil(this.deps.otp.ttlSeconds / 60) },
        choices: this.choices(context, ['eligibility.button.resend']),
      });
    }
    if (!state.lineType) {
      const line = await this.findLine(context, state.msisdn);
      if (!line) return step.endDialog();
      state.lineType = line.type;
    }
    // only the switches this line can make: a switch from the other type is forgotten (and asked)
    if (state.switchType && rules.switchTypes[state.switchType].from !== state.lineType) {
      await this.say(context, 'eligibility.retry.switchType-line', { vars: { type: this.t(context, `eligibility.type.${state.lineType}`) } });
      delete state.switchType;
      delete state.planId;
    }
    if (!state.switchType && state.planId) state.switchType = this.switchFor(state.lineType, state.planId);
    if (!state.switchType) {
      state.asking = 'switchType';
      const ids = SWITCH_TYPES.filter((id) => rules.switchTypes[id].from === state.lineType);
      return this.ask(step, ANSWER, 'eligibility.ask.switchType', {
        choices: ids.map((id) => ({ title: rules.switchTypes[id].label[lang], value: rules.switchTypes[id].label[lang] })),
      });
    }
    const st = rules.switchTypes[state.switchType];
    if (!state.planId) {
      state.asking = 'plan';
      const plans = this.knowledge.plans.filter((p) => p.type === st.to && p.offered);
      return this.ask(step, ANSWER, 'eligibility.ask.plan', {
        vars: { type: this.t(context, `eligibility.type.${st.to}`) },
        choices: plans.slice(0, 5).map((p) => ({ title: p.name, value: p.name })),
      });
    }
    return this.showResult(step, state);
  }

  /**
   * Asks the code service for a code. Its reply is the same whether or not the number is a line of ours (the
   * SMS goes only to lines; the wording says "if this number is ours"); it is given only once the code and
   * its SMS are committed. Nothing here logs the code.
   */
  private async sendCode(context: TurnContext, msisdn: string, resend: boolean): Promise<{ minutes: number } | 'stopped'> {
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
        await this.say(context, issued.reason === 'unavailable' ? 'eligibility.otp.unavailable' : 'eligibility.otp.rate-limited', { vars: { minutes } });
        return 'stopped';
      }
      this.deps.log.info({ line: maskPhone(msisdn) }, 'one-time code requested');
      return { minutes: Math.max(1, Math.ceil(issued.expiresInSeconds / 60)) };
    } catch (err) {
      this.deps.log.warn({ err, line: maskPhone(msisdn) }, 'could not issue the one-time code');
      await this.say(context, 'eligibility.error.directory');
      return 'stopped';
    }
  }

  private async receive(step: WaterfallStepContext) {
    const state = (step.values as { state?: EligibilityState }).state as EligibilityState;
    if (state.outcome) return this.nextStep(step, state);
    const text = String(step.result ?? '').trim();
    const asking = state.asking as Asking;
    const fail = async (key: string, vars?: Vars) => {
      const tries = (state.tries ??= {});
      tries[asking] = (tries[asking] ?? 0) + 1;
      if (tries[asking]! >= MAX_TRIES) {
        await this.say(step.context, key, { vars });
        await this.say(step.context, 'eligibility.gave-up');
        return step.endDialog();
      }
      state.problem = { key, vars };
      return step.replaceDialog(LOOP, state);
    };
    const rules = this.knowledge.rules;

    // a different number at any later step is a correction: that line is proved and checked instead
    const phone = asking !== 'phone' ? findPhone(text) : undefined;
    if (phone && phone.value !== state.msisdn) {
      state.msisdn = phone.value;
      state.verified = verifiedPhone(step.context) === phone.value;
      state.codeSent = false;
      delete state.lineType;
      state.tries = {};
      delete state.asking;
      return step.replaceDialog(LOOP, state);
    }
    // a switch type or plan given at any step (or corrected) fills its slot
    if (asking !== 'switchType' && asking !== 'plan') {
      const before = `${state.switchType}|${state.planId}`;
      this.fillChoices(state, text, !!findCorrection(text));
      // a switch type or plan given where the number was asked is kept, and the number asked again (no wrong try)
      if (asking === 'phone' && before !== `${state.switchType}|${state.planId}` && !/\d{3}/.test(text)) {
        delete state.asking;
        return step.replaceDialog(LOOP, state);
      }
    }

    if (asking === 'switchType') {
      const plan = findPlan(text, this.knowledge.plans, this.deps.today());
      const id = detectSwitchType(text, rules) ?? this.switchWord(state.lineType, text) ?? (plan && state.lineType ? this.switchFor(state.lineType, plan.id) : undefined);
      if (!id) return fail('eligibility.retry.switchType');
      state.switchType = id;
      if (plan && plan.type === rules.switchTypes[id].to) state.planId = plan.id;
    } else if (asking === 'plan') {
      const st = rules.switchTypes[state.switchType!];
      const plan = findPlan(text, this.knowledge.plans, this.deps.today());
      if (!plan) return fail('eligibility.retry.plan');
      if (plan.type !== st.to) {
        return fail('eligibility.retry.plan-type', { plan: plan.name, type: this.t(step.context, `eligibility.type.${st.to}`) });
      }
      state.planId = plan.id;
    } else if (asking === 'phone') {
      const found = findPhone(text);
      const parsed = found ? ({ ok: true, value: found.value } as const) : parsePhone(text);
      if (!parsed.ok) {
        // a code where the number was expected: the "code sent" reply of an earlier turn may have been lost
        // to a crash after the code was committed; the conversation's pending code still counts
        const code = findCode(text) ?? '';
        const pending = code ? await this.deps.otp.pendingLine(step.context.activity.conversation?.id ?? 'none') : undefined;
        if (!pending) return fail(`eligibility.retry.phone.${parsed.reason}`);
        state.msisdn = pending;
        state.codeSent = true;
        const verdict = await this.checkCode(step.context, state, code);
        if (verdict === 'resend') return step.replaceDialog(LOOP, state);
        if (verdict === 'stop') return step.endDialog();
      } else {
        state.msisdn = parsed.value;
      }
    } else if (asking === 'resend' && findCode(text)) {
      // the code typed at "Shall I send a new code?": checked like any code
      state.codeSent = true;
      const verdict = await this.checkCode(step.context, state, findCode(text)!);
      if (verdict === 'stop') return step.endDialog();
      if (verdict === 'resend') return step.replaceDialog(LOOP, state);
    } else if (asking === 'resend') {
      const wants = this.isResend(text) || detectCommand(text) === 'yes';
      if (!wants) {
        await this.say(step.context, 'eligibility.stopped');
        return step.endDialog();
      }
      state.codeSent = false;
      state.resend = true;
    } else if (asking === 'code') {
      if (this.isResend(text)) {
        state.codeSent = false;
        state.resend = true;
      } else {
        const code = findCode(text) ?? '';
        if (!code) {
          state.problem = { key: 'eligibility.otp.format' };
        } else {
          const verdict = await this.checkCode(step.context, state, code);
          if (verdict === 'resend') return step.replaceDialog(LOOP, state);
          if (verdict === 'stop') return step.endDialog();
        }
      }
    }
    if (state.tries) delete state.tries[asking];
    delete state.asking;
    return step.replaceDialog(LOOP, state);
  }

  /**
   * Checks a typed code and records the outcome in the state: verified, a problem to say, 'resend' (the code
   * is dead: ask whether to send a new one) or 'stop' (too many guesses for now: said here).
   */
  private async checkCode(context: TurnContext, state: EligibilityState, code: string): Promise<'continue' | 'resend' | 'stop'> {
    const address = clientAddress(context);
    const verdict = await this.deps.otp.verify({
      msisdn: state.msisdn!,
      conversationId: context.activity.conversation?.id ?? 'none',
      code,
      ...(address ? { address } : {}),
    });
    if (verdict.ok) {
      state.verified = true;
      this.deps.log.info({ line: maskPhone(state.msisdn!) }, 'line verified by one-time code');
    } else if (verdict.reason === 'wrong') {
      state.problem = { key: 'eligibility.otp.wrong', vars: { tries: verdict.triesLeft } };
    } else if (verdict.reason === 'none') {
      state.codeSent = false;
    } else if (verdict.reason === 'guess-limited') {
      await this.say(context, 'eligibility.otp.guess-limited', { vars: { minutes: Math.max(1, Math.ceil(verdict.retryAfterSeconds / 60)) } });
      return 'stop';
    } else {
      state.problem = { key: verdict.reason === 'expired' ? 'eligibility.otp.expired' : 'eligibility.otp.too-many' };
      state.asking = 'resend';
      return 'resend';
    }
    return 'continue';
  }

  /** The switch from the line's type to the plan's type. */
  private switchFor(lineType: 'prepaid' | 'postpaid' | undefined, planId: string): SwitchTypeId | undefined {
    const plan = this.knowledge.plans.find((p) => p.id === planId);
    if (!plan || !lineType) return undefined;
    return SWITCH_TYPES.find((id) => this.knowledge.rules.switchTypes[id].from === lineType && this.knowledge.rules.switchTypes[id].to === plan.type);
  }

  /** "postpaid" / "prabayar" alone, once the line's type is known: the switch from the line to that type. */
  private switchWord(lineType: 'prepaid' | 'postpaid' | undefined, text: string): SwitchTypeId | undefined {
    if (!lineType) return undefined;
    const words = [...text.toLowerCase().matchAll(/\b(pre-?paid|prabayar|post-?paid|pasca\s*bayar)\b/g)].map((m) => (/^pr/.test(m[1]!) ? 'prepaid' : 'postpaid'));
    if (words.length !== 1) return undefined;
    return SWITCH_TYPES.find((id) => this.knowledge.rules.switchTypes[id].from === lineType && this.knowledge.rules.switchTypes[id].to === words[0]);
  }

  /** A switch type or plan named in a message of another step fills its slot (or replaces it in a correction). */
  private fillChoices(state: EligibilityState, text: string, replace: boolean): void {
    const rules = this.knowledge.rules;
    const id = detectSwitchType(text, rules);
    if (id && (replace || !state.switchType)) {
      state.switchType = id;
      if (state.planId && this.knowledge.plans.find((p) => p.id === state.planId)?.type !== rules.switchTypes[id].to) delete state.planId;
    }
    const plan = findPlan(text, this.knowledge.plans, this.deps.today());
    if (plan && (replace || !state.planId) && (!state.switchType || rules.switchTypes[state.switchType].to === plan.type)) state.planId = plan.id;
  }

  /** The line of a proved number; undefined (said) when it is not ours or the directory fails. */
  private async findLine(context: TurnContext, msisdn: string): Promise<LineRecord | undefined> {
    try {
      const line = await this.deps.directory.findLine(msisdn);
      if (!line) await this.say(context, 'eligibility.line-not-found', { vars: { phone: maskPhone(msisdn) } });
      return line;
    } catch (err) {
      this.deps.log.warn({ err, line: maskPhone(msisdn) }, 'subscriber directory lookup failed');
      await this.say(context, 'eligibility.error.directory');
      return undefined;
    }
  }

  private isResend(text: string): boolean {
    const n = normalise(text);
    if (['ms', 'en'].some((l) => n === normalise(this.catalog.t(l as Lang, 'eligibility.button.resend')))) return true;
    return /\b(hantar semula|hantar lagi|kod baru|resend|send again|new code|another code)\b/.test(n);
  }

  private async showResult(step: WaterfallStepContext, state: EligibilityState) {
    const { context } = step;
    const msisdn = state.msisdn!;
    let line: LineRecord | undefined;
    try {
      line = await this.deps.directory.findLine(msisdn);
    } catch (err) {
      this.deps.log.warn({ err, line: maskPhone(msisdn) }, 'subscriber directory lookup failed');
      await this.say(context, 'eligibility.error.directory');
      return step.endDialog();
    }
    if (!line) {
      await this.say(context, 'eligibility.line-not-found', { vars: { phone: maskPhone(msisdn) } });
      return step.endDialog();
    }
    const plans = this.knowledge.plans;
    const target = plans.find((p) => p.id === state.planId)!;
    const currentPlan = plans.find((p) => p.id === line.planId);
    const today = this.deps.today();
    const result = checkEligibility({
      rules: this.knowledge.rules,
      switchType: state.switchType!,
      target,
      line,
      today,
      ...(currentPlan ? { currentPlan } : {}),
    });
    const rendered = resultReply({ catalog: this.catalog, knowledge: this.knowledge, today: this.deps.today }, this.lang(context), result, line, target, currentPlan);
    const st = this.knowledge.rules.switchTypes[result.switchType];
    state.outcome = {
      prorata: {
        kind: result.prorata,
        newFeeSen: target.monthlyFeeSen,
        newPlanId: target.id,
        ...(currentPlan ? { oldFeeSen: currentPlan.monthlyFeeSen, oldPlanId: currentPlan.id } : {}),
      },
      summary: rendered.summary,
    };
    const choices: Choice[] = [];
    const next = (key: string, id: string): Choice => ({ title: this.t(context, key), value: this.t(context, key), id });
    if (step.findDialog('prorata')) choices.push(next('eligibility.next.prorata', 'eligibility:prorata'));
    if (step.findDialog('ticket')) choices.push(next('eligibility.next.ticket', 'eligibility:ticket'));
    this.deps.log.info({ line: maskPhone(msisdn), switchType: st.id, eligible: result.eligible }, 'eligibility checked');
    recordOutcome(context, { procedure: 'eligibility', msisdn, eligible: result.eligible, switchType: st.id, planId: target.id });
    if (choices.length === 0) {
      await this.send(context, { text: rendered.text, card: rendered.card });
      return step.endDialog(result);
    }
    (step.values as { state?: EligibilityState }).state = state;
    return step.prompt(NEXT, {
      prompt: toActivity({ text: rendered.text, card: rendered.card, choices, lang: this.lang(context) }),
    });
  }

  /** The answer to the next-steps question (a button; anything else was handed back in continueDialog). */
  private async nextStep(step: WaterfallStepContext, state: EligibilityState) {
    const choice = this.nextChoiceOf(String(step.result ?? ''), step.context);
    if (choice === 'prorata') {
      const options: ProRataOptions = { prefill: state.outcome?.prorata };
      return step.replaceDialog('prorata', options);
    }
    if (choice === 'ticket') {
      const options: ProcedureOptions = { handover: { from: 'eligibility', category: 'plan-switch', summary: state.outcome?.summary ?? '' } };
      return step.replaceDialog('ticket', options);
    }
    return step.endDialog();
  }

}
