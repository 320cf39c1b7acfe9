/**
 * Shared set-up of the migration tests: a knowledge folder with the real packs and only the message files
 * this procedure needs (so another area's catalog in progress cannot break these tests), an outbox bound
 * to the runtime's database, and a stand-in 'ticket' dialog that records the handover it receives.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { ProcedureOptions } from '../../src/bot/supportBot';
import type { Feature, FeatureDeps } from '../../src/features/types';
import { SqlMailOutbox } from '../../src/services/mail/outbox';
import type { Db, MailOutbox, OutboundMail } from '../../src/services/ports';

const ROOT = path.join(__dirname, '../..');

/** A copy of knowledge/ whose messages/ holds core, mail and migration only. */
export function migrationKnowledgeDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-migration-'));
  for (const item of fs.readdirSync(path.join(ROOT, 'knowledge'))) {
    if (item === 'messages') continue;
    fs.cpSync(path.join(ROOT, 'knowledge', item), path.join(dir, item), { recursive: true });
  }
  fs.mkdirSync(path.join(dir, 'messages'));
  for (const f of ['core.yaml', 'mail.yaml', 'migration.yaml']) {
    fs.copyFileSync(path.join(ROOT, 'knowledge/messages', f), path.join(dir, 'messages', f));
  }
  return dir;
}

/** A MailOutbox whose SqlMailOutbox is created once the runtime's database exists. */
export class LateOutbox implements MailOutbox {
  inner?: SqlMailOutbox;
  bind(deps: FeatureDeps): void {
    this.inner = new SqlMailOutbox(deps.db, { from: deps.config.MAIL_FROM });
  }
  enqueue(mail: OutboundMail, db?: Db) {
    if (!this.inner) throw new Error('outbox not bound');
    return this.inner.enqueue(mail, db);
  }
}

/** The real ticket procedure arrives at integration; this one records what it was begun with. */
export class TicketStub extends Dialog {
  readonly started: ProcedureOptions[] = [];
  constructor() {
    super('ticket');
  }
  async beginDialog(dc: DialogContext, options?: ProcedureOptions): Promise<DialogTurnResult> {
    this.started.push(options ?? {});
    await (dc.context as TurnContext).sendActivity('[ticket procedure started]');
    return dc.endDialog();
  }
}

export function ticketStubFeature(stub: TicketStub): Feature {
  return { name: 'ticket-stub', dialogs: [stub] };
}

/** The migration link in a text, and its token. */
export function linkIn(text: string): { link: string; token: string } | undefined {
  const m = text.match(/https?:\/\/[^\s"<>]+\/migrate\/([A-Za-z0-9_-]{43})/);
  return m ? { link: m[0], token: m[1]! } : undefined;
}
