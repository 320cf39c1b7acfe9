/**
 * Memory: botbuilder-dialogs requires Microsoft's Recognizers-Text suites (number, choice, date-time, and through
 * promptCultureModels the whole suite: number-with-unit, sequence, ...) when it is loaded, for the prompts that
 * parse numbers, dates and yes/no (NumberPrompt, DateTimePrompt, ConfirmPrompt, ChoicePrompt's ordinals). Their
 * regular-expression tables take about 14 MB of heap and 30 MB of RSS in every process (measured below). This
 * bot's dialogs use TextPrompt and their own parsing, so those tables are never read.
 *
 * `deferRecognizers()` puts a stand-in for each suite in the module cache before botbuilder-dialogs loads: the
 * stand-in answers `__esModule` (asked by TypeScript's `__importStar` when the module is imported) and the
 * suite's `Culture` constants (read by promptCultureModels at load time, served from the small
 * @microsoft/recognizers-text core) without loading anything; any other property (recognizeNumber,
 * recognizeDateTime, ...) loads the real suite then and forwards to it, so a prompt that needs one still works,
 * the first call merely paying the load. Imported for its effect by src/index.ts and src/cli/chat.ts, before
 * the app.
 *
 * Why it relies on the module cache (an internal of Node's loader and of botbuilder's module layout): botbuilder
 * offers no public way to leave the suites out. They are required at the top of prompts/promptCultureModels.js,
 * prompts/numberPrompt.js, datetimePrompt.js, confirmPrompt.js and choices/recognizeChoices.js, all loaded by
 * botbuilder-dialogs' index whatever a bot uses. No upstream botbuilder-js issue asks for it: the issue tracker
 * was searched (2026-11-29: "recognizers-text memory", "lazy load recognizers-text prompts", "promptCultureModels
 * recognizers-text-suite", "botbuilder-dialogs heap") and none was found, so none can be named here; the one to
 * file would ask for those requires to be made lazy (or the prompts moved to a sub-path export). Measured on
 * Node 20 (after two collections, botbuilder-dialogs alone): 20.9 MB heap / 86.7 MB RSS with the stand-ins,
 * 34.6 MB / 117.3 MB without; bench/http.ts holds the bot's peak RSS to 1.3 × the echo bot's, which the suites
 * alone would use up. test/memory/lazyModules.test.ts checks that the suites stay out and that a prompt that
 * needs one still works; remove this file when botbuilder loads them lazily.
 */
import Module from 'node:module';
import path from 'node:path';

/** The suites botbuilder-dialogs requires directly. */
export const DEFERRED_RECOGNIZERS = [
  '@microsoft/recognizers-text-suite',
  '@microsoft/recognizers-text-number',
  '@microsoft/recognizers-text-choice',
  '@microsoft/recognizers-text-date-time',
] as const;

export interface DeferOptions {
  /** Where botbuilder-dialogs is resolved from (default: this file's folder). */
  from?: string;
  /** Called once per suite when a stand-in loads the real module (tests, diagnostics). */
  onLoad?: (name: string) => void;
}

type Exports = Record<string | symbol, unknown>;

/**
 * Installs the stand-ins; returns the names of the suites deferred (none if botbuilder-dialogs cannot be
 * resolved, and never a suite some module has already loaded).
 */
export function deferRecognizers(options: DeferOptions = {}): string[] {
  const from = options.from ?? __dirname;
  let dialogsDir: string;
  try {
    dialogsDir = path.dirname(require.resolve('botbuilder-dialogs', { paths: [from] }));
  } catch {
    return [];
  }
  const cache = require.cache;
  const deferred: string[] = [];
  for (const name of DEFERRED_RECOGNIZERS) {
    let file: string;
    try {
      file = require.resolve(name, { paths: [dialogsDir] });
    } catch {
      continue;
    }
    if (cache[file]) continue;
    const standIn = new Module(file);
    let real: Exports | undefined;
    const load = (): Exports => {
      if (!real) {
        if (cache[file] === standIn) delete cache[file];
        real = require(file) as Exports;
        options.onLoad?.(name);
      }
      return real;
    };
    // answered without loading the suite
    const light: Record<string, () => unknown> = { __esModule: () => true };
    if (name === '@microsoft/recognizers-text-suite') {
      light.Culture = () => (require(require.resolve('@microsoft/recognizers-text', { paths: [path.dirname(file)] })) as Exports).Culture;
    }
    standIn.exports = new Proxy<Exports>(
      {},
      {
        get: (_target, key) => (!real && typeof key === 'string' && Object.hasOwn(light, key) ? light[key]!() : Reflect.get(load(), key)),
        has: (_target, key) => Reflect.has(load(), key),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_target, key) => {
          const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
          // the empty target holds none of them: a proxy may only report configurable properties it lacks
          return descriptor && { ...descriptor, configurable: true };
        },
      },
    );
    standIn.filename = file;
    standIn.loaded = true;
    cache[file] = standIn;
    deferred.push(name);
  }
  return deferred;
}

deferRecognizers();
