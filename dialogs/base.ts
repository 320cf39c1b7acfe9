/**
 * What every guided procedure shares: speaking from the message catalog in the turn's language, asking for
 * a value that must be valid (with a clear re-prompt and a way out after a few tries), and yes/no
 * questions that understand free text ("ya", "x", "tak nak", "yes", "nope").
 *
 * Procedures render Replies (src/bot/reply.ts) and never check the channel.
 */
import type { Activity, TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  type PromptOptions,
  type PromptValidatorContext,
  TextPrompt,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { expectFreeText, turnInput, turnLang } from '../src/bot/context';
import type { Lexicon } from '../src/language/lexicon';
import { type Choice, type Reply, toActivity } from '../src/bot/reply';
import type { Lang } from '../src/knowledge/types';
import type { MessageCatalog, Vars } from '../src/language/catalog';
import { detectCommand } from '../src/language/commands';

/** The prompt result when the customer did not give a valid value within the allowed tries. */
export const GAVE_UP = '\u0000gave-up';

/** A parser of one slot: the value, or the catalog key of the message that explains what is wrong. */
export type SlotParser<T> = (text: string, context: TurnContext) => { ok: true; value: T } | { ok: false; reason: string; vars?: Vars };

export interface AskOptions {
  vars?: Vars;
  choices?: Choice[];
  card?: Record<string, unknown>;
  /** The answer is free text (a description, a name): an FAQ-looking answer is not an interruption. */
  freeText?: boolean;
}

export abstract class ProcedureDialog extends ComponentDialog {
  constructor(
    id: string,
    protected readonly catalog: MessageCatalog,
  ) {
    super(id);
  }

  protected lang(context: TurnContext): Lang {
    return turnLang(context);
  }

  protected t(context: TurnContext, key: string, vars?: Vars): string {
    return this.catalog.t(turnLang(context), key, vars);
  }

  protected reply(context: TurnContext, key: string, options: AskOptions = {}): Reply {
    return { text: this.t(context, key, options.vars), choices: options.choices, card: options.card, lang: turnLang(context) };
  }

  /** Sends a message from the catalog. */
  protected async say(context: TurnContext, key: string, options: AskOptions = {}): Promise<void> {
    await context.sendActivity(toActivity(this.reply(context, key, options)));
  }

  /** Sends an already written Reply. */
  protected async send(context: TurnContext, reply: Reply): Promise<void> {
    await context.sendActivity(toActivity({ lang: turnLang(context), ...reply }));
  }

  /**
   * Asks with a prompt registered in this dialog; the question comes from the catalog. It is rendered in both
   * languages and kept with the prompt, so that asking again after a language switch ("in English please")
   * or after a wrong answer speaks the customer's current language (LangTextPrompt). Options whose variables
   * or buttons depend on the language are given as a function of it.
   */
  protected async ask(step: WaterfallStepContext, promptId: string, key: string, options: AskOptions | ((lang: Lang) => AskOptions) = {}) {
    const of = typeof options === 'function' ? options : () => options;
    const render = (lang: Lang) => {
      const o = of(lang);
      return toActivity({ text: this.catalog.t(lang, key, o.vars), choices: o.choices, card: o.card, lang });
    };
    const lang = turnLang(step.context);
    expectFreeText(step.context, of(lang).freeText ?? false);
    const byLang: Record<Lang, Partial<Activity>> = { ms: render('ms'), en: render('en') };
    return step.prompt(promptId, { prompt: byLang[lang], validations: { byLang } });
  }

  /** Buttons from catalog keys: the title is the message, the value the same text (typed or clicked alike). */
  protected choices(context: TurnContext, keys: string[]): Choice[] {
    return this.choicesIn(turnLang(context), keys);
  }

  protected choicesIn(lang: Lang, keys: string[]): Choice[] {
    return keys.map((k) => {
      const title = this.catalog.t(lang, k);
      return { title, value: title };
    });
  }
}

/**
 * A text prompt that asks in the turn's language: ProcedureDialog.ask keeps its question rendered in both
 * languages (in the prompt options' `validations`), and each time the prompt is shown — first, again after a
 * wrong answer, or re-prompted after a language switch — the current language's version is sent.
 */
export class LangTextPrompt extends TextPrompt {
  protected override async onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const byLang = (options.validations as { byLang?: Record<Lang, Partial<Activity>> } | undefined)?.byLang;
    const current = byLang?.[turnLang(context)];
    return super.onPrompt(context, state, current && !(isRetry && options.retryPrompt) ? { ...options, prompt: current } : options, isRetry);
  }
}

/**
 * A text prompt for a value that must parse. A wrong value gets the parser's explanation as the re-prompt;
 * after `maxTries` wrong values the prompt ends with GAVE_UP so the procedure can offer a way out.
 * The step after it receives the raw text: parse it again there (parsers are pure and cheap).
 */
export function slotPrompt<T>(id: string, catalog: MessageCatalog, parse: SlotParser<T>, maxTries = 3): TextPrompt {
  return new LangTextPrompt(id, async (pc: PromptValidatorContext<string>) => {
    const text = (pc.recognized.value ?? '').trim();
    const parsed = parse(text, pc.context);
    if (parsed.ok) return true;
    if (pc.attemptCount >= maxTries) {
      pc.recognized.value = GAVE_UP;
      return true;
    }
    await pc.context.sendActivity(
      toActivity({ text: catalog.t(turnLang(pc.context), parsed.reason, parsed.vars), lang: turnLang(pc.context) }),
    );
    return false;
  });
}

/** Understands yes/no typed freely or clicked; anything else is asked again (up to maxTries, then GAVE_UP). */
export function yesNoPrompt(id: string, catalog: MessageCatalog, retryKey: string, maxTries = 3): TextPrompt {
  return slotPrompt<boolean>(
    id,
    catalog,
    (text, context) => {
      const command = detectCommand(turnInput(context, text));
      if (command === 'yes') return { ok: true, value: true };
      if (command === 'no') return { ok: true, value: false };
      return { ok: false, reason: retryKey };
    },
    maxTries,
  );
}

/** The yes/no answer of a yesNoPrompt's raw text (undefined for GAVE_UP). */
export function yesNo(text: string, lex?: Lexicon): boolean | undefined {
  const command = detectCommand(text, lex);
  return command === 'yes' ? true : command === 'no' ? false : undefined;
}
