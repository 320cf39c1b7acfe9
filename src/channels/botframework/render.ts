/**
 * The Bot Framework connector's renderer (Azure Bot Service channels, the Bot Framework Emulator, the tests'
 * "test" channel): the channels it names show Adaptive Cards, so a reply with a card is the card alone; any
 * other connector channel (Slack, Facebook, … through Azure) gets the text alone and no Adaptive Card at all
 * (the reply's text always says what the card shows). Teams and the web chat have folders of their own.
 */
import type { Activity } from 'botbuilder';
import { cardAlone, textAlone } from '../render';

/** Connector channels of this folder that render Adaptive Cards. */
export const CONNECTOR_CARD_CHANNELS: readonly string[] = ['directline', 'emulator', 'test'];

/** Channels /api/messages takes without authentication from a loopback serviceUrl: the Emulator and the tests. */
export const CONNECTOR_LOCAL_CHANNELS: readonly string[] = ['emulator', 'test'];

/** Mutates and returns the activity (see the header). */
export function renderForConnector(activity: Partial<Activity>, channelId: string | undefined): Partial<Activity> {
  return CONNECTOR_CARD_CHANNELS.includes(channelId ?? '') ? cardAlone(activity) : textAlone(activity, 'all');
}
