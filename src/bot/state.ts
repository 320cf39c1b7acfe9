/**
 * Conversation and user state with optimistic concurrency.
 *
 * botbuilder's BotState.saveChanges always writes with eTag "*" (last writer wins), so two bot instances
 * handling the same conversation would silently lose one turn's state. These subclasses write with the eTag
 * the state was read with: a concurrent change makes the write fail with the storage's eTag conflict error,
 * and the turn runner (turn.ts) runs the turn again on fresh state.
 */
import { type BotState, ConversationState, type Storage, type TurnContext, UserState, calculateChangeHash } from 'botbuilder';

/** The eTag of a state item that must not exist yet (see optimisticSave). */
export const CREATE_ONLY_ETAG = 'create-only:' + '0'.repeat(8);

const loadedHash = new WeakMap<BotState, symbol>();

function hashKey(state: BotState): symbol {
  let key = loadedHash.get(state);
  if (!key) {
    key = Symbol('loadedHash');
    loadedHash.set(state, key);
  }
  return key;
}

async function optimisticLoad(
  state: BotState,
  base: (context: TurnContext, force?: boolean) => Promise<any>,
  context: TurnContext,
  force?: boolean,
): Promise<any> {
  const key = hashKey(state);
  const fresh = force || !context.turnState.has(key);
  const loaded = await base(context, force);
  if (fresh) context.turnState.set(key, calculateChangeHash(loaded));
  return loaded;
}

async function optimisticSave(state: BotState, storage: Storage, context: TurnContext, force: boolean): Promise<void> {
  const current = state.get(context) as Record<string, unknown> | undefined;
  if (!current) return;
  const key = hashKey(state);
  const hash = calculateChangeHash(current);
  if (!force && hash === context.turnState.get(key)) return;
  const storageKey = await (state as unknown as { storageKey(c: TurnContext): Promise<string> | string }).storageKey(context);
  // current.eTag is the eTag read at load (or written earlier in this turn). A state that did not exist
  // when it was read is written "create only": an eTag no stored item can have, so if another instance
  // created it meanwhile the write conflicts instead of overwriting it.
  if (current.eTag === undefined || current.eTag === '*') current.eTag = CREATE_ONLY_ETAG;
  await storage.write({ [storageKey]: current });
  context.turnState.set(key, calculateChangeHash(current));
}

// a mixin base must take (...args: any[]); both botbuilder state classes take (storage, namespace?)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type StateClass = new (...args: any[]) => BotState;

/** Gives a BotState class optimistic load/save (see optimisticLoad / optimisticSave). */
function optimistic<TBase extends StateClass>(Base: TBase) {
  return class extends Base {
    readonly store: Storage;
    constructor(...args: any[]) {
      super(args[0] as Storage, args[1] as string | undefined);
      this.store = args[0] as Storage;
    }
    override load(context: TurnContext, force?: boolean): Promise<any> {
      return optimisticLoad(this, (c, f) => super.load(c, f), context, force);
    }
    override saveChanges(context: TurnContext, force = false): Promise<void> {
      return optimisticSave(this, this.store, context, force);
    }
  };
}

export class OptimisticConversationState extends optimistic(ConversationState) {}
export class OptimisticUserState extends optimistic(UserState) {}
