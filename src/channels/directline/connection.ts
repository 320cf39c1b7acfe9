/**
 * The bot's own Direct Line connection as any process builds it: the conversation store on the database and
 * the "webchat" adapter over it. The server (src/channels/directline/feature.ts) adds the streams and the routes; the
 * staff CLI (src/cli/tickets.ts) only appends replies, which the running bot's streams then deliver.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../../config';
import type { DB } from '../../db/schema';
import { personalDataExamples } from '../../domain/pii';
import type { MessageCatalog } from '../../language/catalog';
import { DirectLineAdapter } from './adapter';
import { DirectLineStore } from './store';

/** Identifier-shaped values in the bot's own message catalog, in both languages (its examples). */
export function catalogExamples(catalog: MessageCatalog): Set<string> {
  // placeholders filled with nothing: the examples are in the fixed text
  const blank = new Proxy({}, { get: () => '' }) as Record<string, string>;
  const texts = catalog.keys().flatMap((key) => (['ms', 'en'] as const).map((lang) => catalog.t(lang, key, blank)));
  return personalDataExamples(texts);
}

export function directLineConnection(
  db: Kysely<DB>,
  catalog: MessageCatalog,
  config: Pick<Config, 'MicrosoftAppId' | 'publicUrl' | 'DIRECT_LINE_CONVERSATION_MAX_HOURS'>,
): { store: DirectLineStore; adapter: DirectLineAdapter } {
  // the bot's own example values ("012-345 6789") stay readable in its stored replies; nothing else does
  const store = new DirectLineStore(db, Date.now, { examples: catalogExamples(catalog) });
  const adapter = new DirectLineAdapter(store, {
    botId: config.MicrosoftAppId || 'support-bot',
    botName: 'Support Bot',
    serviceUrl: `${config.publicUrl}/directline`,
    conversationMaxMs: config.DIRECT_LINE_CONVERSATION_MAX_HOURS * 3_600_000,
  });
  return { store, adapter };
}
