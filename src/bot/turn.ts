/**
 * Running one turn so that no state is lost:
 * - turns of one conversation run one after another within this process (KeyedQueue);
 * - the turn's replies are held back until its state is saved; when the save meets an eTag conflict
 *   (another instance changed the conversation meanwhile) the held replies are dropped, the state is read
 *   again and the turn runs again, so the customer sees the replies of exactly one successful run;
 * - trace activities never reach an expectReplies response body;
 * - the customer's text is cleaned once, here, for every channel (no NUL, lone surrogate or stray control).
 */
import { type BotState, DeliveryModes, type ResourceResponse, type TurnContext } from 'botbuilder';
import { isETagConflict } from '../db/storage';
import { cleanInboundText } from '../domain/controlChars';

const AFTER_REPLIES = Symbol('afterReplies');

/**
 * Work to do once this turn's replies have gone out (e.g. marking a promised confirmation delivered). Runs
 * after the state is saved and the held replies are released; dropped with the replies when the turn runs
 * again after an eTag conflict or fails. Errors are the callback's own business (they are swallowed here).
 */
export function afterRepliesSent(context: TurnContext, task: () => Promise<void>): void {
  let tasks = context.turnState.get(AFTER_REPLIES) as Array<() => Promise<void>> | undefined;
  if (!tasks) context.turnState.set(AFTER_REPLIES, (tasks = []));
  tasks.push(task);
}

/** Runs tasks with the same key one at a time, in arrival order; different keys run concurrently. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  get size(): number {
    return this.tails.size;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when every task queued so far has settled. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}

export interface TurnRunnerOptions {
  states: BotState[];
  /** Attempts in all when saving meets an eTag conflict. */
  maxAttempts?: number;
  onConflict?: (attempt: number) => void;
}

/**
 * Runs `logic` for the turn, saves every state, and only then releases the replies. Retries on an eTag
 * conflict (the logic must not have side effects outside the state before its replies are released; the
 * procedures that write records do so in their own transactions, idempotently keyed on the activity).
 */
export async function runTurnSafely(
  context: TurnContext,
  logic: (context: TurnContext) => Promise<void>,
  options: TurnRunnerOptions,
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 3;
  // intake: the one place every channel's text passes before anything reads or stores it
  if (typeof context.activity.text === 'string') context.activity.text = cleanInboundText(context.activity.text);
  let held: Array<() => Promise<ResourceResponse[]>> = [];
  let holding = true;
  context.onSendActivities(async (ctx, activities, next) => {
    if (ctx.activity.deliveryMode === DeliveryModes.ExpectReplies) {
      // only real replies go back in the response body (filtered in place: `next` sends this array)
      for (let i = activities.length - 1; i >= 0; i--) if (activities[i]!.type === 'trace') activities.splice(i, 1);
      if (activities.length === 0) return [];
    }
    if (!holding) return next();
    held.push(next);
    return activities.map(() => ({ id: '' }));
  });
  for (let attempt = 1; ; attempt++) {
    context.turnState.set(AFTER_REPLIES, []);
    try {
      await logic(context);
      for (const state of options.states) await state.saveChanges(context, false);
      break;
    } catch (err) {
      if (!isETagConflict(err) || attempt >= maxAttempts) {
        holding = false;
        held = [];
        throw err;
      }
      options.onConflict?.(attempt);
      held = [];
      for (const state of options.states) await state.load(context, true);
    }
  }
  holding = false;
  const release = held;
  held = [];
  for (const send of release) await send();
  const after = (context.turnState.get(AFTER_REPLIES) as Array<() => Promise<void>> | undefined) ?? [];
  context.turnState.set(AFTER_REPLIES, []);
  for (const task of after) await task().catch(() => undefined);
}
