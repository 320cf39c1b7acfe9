/**
 * A web chat customer's files on their ticket in the staff console: listed on the ticket page, downloaded whole by a
 * signed-in agent (every download audited), never to anyone signed out, and only the files of that ticket's
 * conversation.
 */
import { AttachmentStore } from '../../src/channels/directline/uploads';
import { createTicketService } from '../../src/features/tickets';
import { startBot, type RunningBot } from '../helpers/app';
import { Browser, addStaff } from './http';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);

describe('attachments on a ticket in the staff console', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot({ LOG_LEVEL: 'warn' });
    await addStaff(bot.app, 'siti', 'agent', 'Siti Aminah');
  }, 60_000);
  afterAll(async () => bot.stop());

  test('listed, downloaded by staff (audited), refused signed out, and only this conversation\'s', async () => {
    const db = bot.app.runtime.database.db;
    const files = new AttachmentStore(db);
    await db
      .insertInto('directline_conversations')
      .values([
        { id: 'conv-files', user_id: 'dl_u1', created_at: Date.now(), updated_at: Date.now() },
        { id: 'conv-other', user_id: 'dl_u2', created_at: Date.now(), updated_at: Date.now() },
      ] as never)
      .execute();
    const photo = await files.save('conv-files', { name: 'bil ogos.jpg', contentType: 'image/jpeg', data: JPEG });
    const other = await files.save('conv-other', { name: 'not-yours.jpg', contentType: 'image/jpeg', data: JPEG });
    const { ticket } = await createTicketService(bot.app.runtime.deps).create({
      requestKey: 'k-files',
      category: 'billing',
      description: 'Charged twice for August, photo of the bill attached',
      name: 'Ali',
      email: 'ali@example.com',
      lang: 'en',
      channel: 'webchat',
      channelUserId: 'dl_u1',
      conversationRef: { channelId: 'webchat', conversation: { id: 'conv-files' } as never },
    });

    const staff = new Browser(bot.url);
    expect((await staff.signIn('siti')).status).toBe(303);
    const page = await staff.get(`/console/tickets/${ticket.reference}?lang=en`);
    expect(page.text).toContain('Customer&#39;s attachments');
    expect(page.text).toContain(`/console/tickets/${ticket.reference}/attachments/${photo.id}`);
    expect(page.text).not.toContain(other.id);
    const get = (id: string, signedIn = true) =>
      fetch(`${bot.url}/console/tickets/${ticket.reference}/attachments/${id}`, {
        redirect: 'manual',
        headers: signedIn ? { cookie: [...staff.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
      });
    const download = await get(photo.id);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="bil ogos.jpg"');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await download.arrayBuffer()).equals(JPEG)).toBe(true);
    expect((await get(photo.id, false)).status).toBe(303);
    expect((await get(other.id)).status).toBe(404);
    const audit = await db.selectFrom('staff_audit').select(['action', 'target']).where('action', '=', 'attachment-download').execute();
    expect(audit).toEqual([{ action: 'attachment-download', target: ticket.reference }]);

    // Malay console
    expect((await staff.get(`/console/tickets/${ticket.reference}?lang=ms`)).text).toContain('Lampiran pelanggan');
  });
});
