/**
 * What a turn did, noted by SupportBot where it decides (answered, clarified, declined, a procedure started,
 * completed or abandoned), read once the turn is over by the runtime for the metrics and the insight log
 * (src/features/insight.ts). Kept in turn state: cleared at the start of every attempt of a turn, so a turn
 * that runs again after an eTag conflict is counted once.
 *
 * A Feature.onMessage hook that handles a message itself (a "did this help?" button press) marks the turn
 * handled, and SupportBot then leaves it alone.
 */
import type { TurnContext } from 'botbuilder';
import type { TurnOutcome } from '../services/metrics';

export interface TurnEvent {
  outcome: TurnOutcome;
  /** The knowledge entry answered (or declined as incomplete). */
  entryId?: string;
  /** The procedure (dialog id) started, completed or abandoned. */
  procedure?: string;
  /** The reference of an answer, carried by its "did this help?" buttons (set by the insight feature). */
  ref?: string;
}

const EVENTS = Symbol('turnEvents');
const HANDLED = Symbol('turnHandled');

export function noteOutcome(context: TurnContext, outcome: TurnOutcome, detail: Omit<TurnEvent, 'outcome'> = {}): void {
  let events = context.turnState.get(EVENTS) as TurnEvent[] | undefined;
  if (!events) context.turnState.set(EVENTS, (events = []));
  if (events.length < 16) events.push({ outcome, ...detail });
}

export function turnEvents(context: TurnContext): TurnEvent[] {
  return (context.turnState.get(EVENTS) as TurnEvent[] | undefined) ?? [];
}

/** Forgets the events and the handled mark (the start of an attempt of a turn). */
export function resetTurnEvents(context: TurnContext): void {
  context.turnState.set(EVENTS, []);
  context.turnState.set(HANDLED, false);
}

export function markTurnHandled(context: TurnContext): void {
  context.turnState.set(HANDLED, true);
}

export function turnHandled(context: TurnContext): boolean {
  return context.turnState.get(HANDLED) === true;
}
