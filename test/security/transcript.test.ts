/**
 * Issue 13, item 9: the web chat transcript (directline_activities) is stored masked, both directions, on
 * SQLite and PostgreSQL. The bot itself still reads the customer's activity as posted; Web Chat keeps what
 * it needs (ids, clientActivityID, times) and the bot's own example values stay readable.
 */
import { DirectLineStore, redactTranscriptActivity } from '../../src/channels/directline/store';
import { personalDataExamples } from '../../src/domain/pii';
import { type TestDatabase, engines, openTestDatabase } from '../helpers/databases';

const SECRETS = ['850312-14-5672', '8503 1214 5672', 'A12345678', 'aminah.abdullah@example.com', '012-100 0001', '12 100 0001', '482913'];

describe.each(engines())('web chat transcript at rest on %s', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  test('the customer\'s messages and the bot\'s replies are stored masked; what Web Chat needs is kept', async () => {
    const examples = personalDataExamples(['Contohnya 012-345 6789 atau +60 12-345 6789.']);
    const store = new DirectLineStore(t.database.db, Date.now, { examples });
    await store.createConversation('conv-1', 'dl_user');
    const posted = {
      type: 'message',
      text: `IC saya ${SECRETS[0]} atau ${SECRETS[1]}, pasport ${SECRETS[2]}, emel ${SECRETS[3]}, tel ${SECRETS[4]} / ${SECRETS[5]}`,
      from: { id: 'dl_user', name: `Aminah ${SECRETS[3]}`, role: 'user' },
      conversation: { id: 'conv-1' },
      channelData: { clientActivityID: 'wc-k3x9-msg-7', nested: { note: `kod ${SECRETS[6]}` } },
      value: { phone: SECRETS[4] },
    } as any;
    const before = JSON.stringify(posted);
    await store.append('conv-1', posted);
    expect(JSON.stringify(posted)).toBe(before); // the bot's own copy is untouched
    await store.append('conv-1', { type: 'message', text: SECRETS[6], from: { id: 'dl_user', role: 'user' } as any });
    await store.append('conv-1', {
      type: 'message',
      from: { id: 'bot', name: 'Support Bot', role: 'bot' } as any,
      text: `Kod dihantar ke +6012•••••01. Contohnya 012-345 6789 atau +60 12-345 6789. Akaun anda: ${SECRETS[3]}`,
      suggestedActions: { actions: [{ type: 'imBack', title: `Ya, ${SECRETS[0]}`, value: `Ya, ${SECRETS[0]}` }] } as any,
      attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: { text: `MyKad ${SECRETS[0]}` } }],
    });

    // straight from the table: nothing of any secret, in any column
    const rows = await (t.database.db as any).selectFrom('directline_activities').select(['activity']).execute();
    const raw = rows.map((r: any) => r.activity).join('\n');
    for (const secret of SECRETS) expect(raw).not.toContain(secret);
    expect(raw).not.toMatch(/850312|85031214|12345678|abdullah|1000001/);

    const { activities } = await store.activitiesAfter('conv-1', 0);
    expect(activities[0]!.text).toBe('IC saya ••••••-••-5672 atau ••••••-••-5672, pasport •••••5678, emel a••••@e••••.com, tel +6012•••••01 / +6012•••••01');
    expect((activities[0]!.channelData as any).clientActivityID).toBe('wc-k3x9-msg-7');
    expect(activities[0]!.from).toEqual({ id: 'dl_user', name: 'Aminah a••••@e••••.com', role: 'user' });
    expect(activities[0]!.id).toBe('conv-1|0000001');
    expect(activities[1]!.text).toBe('••••••'); // the one-time code
    // the bot's reply: its example values stay readable, the customer's data does not
    expect(activities[2]!.text).toBe('Kod dihantar ke +6012•••••01. Contohnya 012-345 6789 atau +60 12-345 6789. Akaun anda: a••••@e••••.com');
    expect((activities[2]!.suggestedActions as any).actions[0]).toEqual({ type: 'imBack', title: 'Ya, ••••••-••-5672', value: 'Ya, ••••••-••-5672' });
    expect((activities[2]!.attachments as any)[0].content.text).toBe('MyKad ••••••-••-5672');
  });

  test('a customer typing the bot\'s example value is masked all the same', async () => {
    const examples = personalDataExamples(['Contohnya 012-345 6789.']);
    const stored = redactTranscriptActivity({ type: 'message', text: 'nombor saya 012-345 6789', from: { id: 'u', role: 'user' } as any }, examples);
    expect(stored.text).toBe('nombor saya +6012•••••89');
  });

  test('deeply nested channel data is cut, not stored whole', () => {
    let deep: any = { text: 'IC 850312-14-5672' };
    for (let i = 0; i < 1000; i++) deep = { d: deep };
    const stored = redactTranscriptActivity({ type: 'message', text: 'hai', channelData: deep, from: { id: 'u', role: 'user' } as any });
    expect(JSON.stringify(stored)).not.toContain('850312');
    expect(JSON.stringify(stored).length).toBeLessThan(1000);
  });
});
