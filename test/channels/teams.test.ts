/**
 * Teams-shaped activities through the whole bot (SupportBot + the Teams middleware on the TestAdapter):
 * mentions stripped in channels and group chats, the welcome on install, at most 3 suggested actions, more
 * choices and shared conversations as an Adaptive Card within version 1.5; plus the app package.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import type { Activity } from 'botbuilder';
import { WaterfallDialog } from 'botbuilder-dialogs';
import { adaptForTeams, createTeamsMiddleware, fitCard, stripMentions } from '../../src/channels/teams';
import { buildManifest, buildPackage, colorIcon, outlineIcon, pngInfo, validatePackage, TEAMS_DIR } from '../../src/cli/teams-package';
import { createTestChat, type Said, type TestChat } from '../helpers/bot';

const BOT = { id: '28:bot-app-id', name: 'Support Bot' };

function knowledgeCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-teams-kb-'));
  fs.cpSync(path.join(__dirname, '../../knowledge'), dir, { recursive: true });
  for (const f of fs.readdirSync(path.join(dir, 'messages'))) if (f !== 'core.yaml' && f !== 'channels.yaml') fs.rmSync(path.join(dir, 'messages', f));
  return dir;
}

const cardOf = (s: Said) => s.activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content as any;
const cardButtons = (card: any): Array<{ title: string; value: string }> =>
  (card?.body ?? [])
    .filter((b: any) => b.type === 'ActionSet')
    .flatMap((b: any) => b.actions)
    .map((a: any) => ({ title: a.title, value: a.data.msteams.value }));

describe('Teams through the whole bot', () => {
  let chat: TestChat;
  let kb: string;
  beforeEach(async () => {
    kb = knowledgeCopy();
    chat = await createTestChat({
      channelId: 'msteams',
      env: { KNOWLEDGE_DIR: kb },
      features: () => [{ name: 'eligibility-stand-in', dialogs: [new WaterfallDialog('eligibility', [async (step) => step.endDialog()])] }],
    });
    chat.adapter.use(createTeamsMiddleware({ catalog: chat.runtime.catalog }));
  });
  afterEach(async () => {
    await chat.close();
    fs.rmSync(kb, { recursive: true, force: true });
  });

  const inChannel = (text: string, entities: unknown[] = []) =>
    chat.say(text, {
      recipient: BOT,
      conversation: { id: '19:general@thread.tacv2;messageid=1', conversationType: 'channel', isGroup: true, name: '' },
      entities: entities as Activity['entities'],
    } as Partial<Activity>);

  test('the bot mention is removed in a channel: the answer is the one to the bare question', async () => {
    const bare = await chat.say('camne nk upgrade akaun ebiz', { recipient: BOT } as Partial<Activity>);
    const mentioned = await inChannel('<at>Support Bot</at> camne nk upgrade akaun ebiz', [
      { type: 'mention', text: '<at>Support Bot</at>', mentioned: BOT },
    ]);
    expect(mentioned[0]!.text).toBe(bare[0]!.text);
    expect(mentioned[0]!.text).toContain('kaunter JUPEM');
  });

  test('a mention in a group chat is removed, and other mentions keep only the name', async () => {
    const bare = await chat.say('hai', { recipient: BOT } as Partial<Activity>);
    const said = await chat.say('<at>Support Bot</at> hai', {
      recipient: BOT,
      conversation: { id: '19:group@thread.v2', conversationType: 'groupChat', isGroup: true, name: '' },
      entities: [{ type: 'mention', text: '<at>Support Bot</at>', mentioned: BOT }],
    } as Partial<Activity>);
    expect(said[0]!.text).toBe(bare[0]!.text);
    expect([chat.runtime.catalog.t('ms', 'greeting.reply'), chat.runtime.catalog.t('en', 'greeting.reply')]).toContain(said[0]!.text);
    expect(
      stripMentions({
        text: '<at>Support Bot</at> ask <at>Aminah</at> about it',
        recipient: BOT,
        entities: [
          { type: 'mention', text: '<at>Support Bot</at>', mentioned: BOT },
          { type: 'mention', text: '<at>Aminah</at>', mentioned: { id: '29:aminah' } },
        ],
      } as Partial<Activity>),
    ).toBe('ask Aminah about it');
    // hostile markup costs linear time (the old lazy tag pattern took 14 s on this), entities beyond 50 unread
    const hostile = {
      text: '<at x'.repeat(50_000),
      recipient: BOT,
      entities: Array.from({ length: 5000 }, (_, i) => ({ type: 'mention', text: `<at x${i}`, mentioned: BOT })),
    } as Partial<Activity>;
    const started = process.hrtime.bigint();
    stripMentions(hostile);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
    expect(stripMentions({ text: 'hi <at>Support Bot</at>', recipient: BOT, entities: [{} as never, { type: 'mention' } as never] })).toBe('hi Support Bot');
  });

  test('installing the app (the bot added) brings the welcome once; people joining a team are not greeted', async () => {
    const installed = await chat.say('', {
      type: 'conversationUpdate',
      recipient: BOT,
      membersAdded: [BOT],
      conversation: { id: 'a:personal-1', conversationType: 'personal', isGroup: false, name: '' },
    } as Partial<Activity>);
    expect(installed).toHaveLength(1);
    expect(installed[0]!.text).toBe(chat.runtime.catalog.both('welcome.text'));
    // 3 menu choices stay suggested actions in a personal chat
    expect(installed[0]!.buttons.length).toBeLessThanOrEqual(3);
    expect(installed[0]!.buttons.length).toBeGreaterThan(0);
    const joined = await chat.say('', {
      type: 'conversationUpdate',
      recipient: BOT,
      membersAdded: [{ id: '29:new-colleague', name: 'New' }],
      conversation: { id: '19:general@thread.tacv2', conversationType: 'channel', isGroup: true, name: '' },
    } as Partial<Activity>);
    expect(joined).toHaveLength(0);
  });

  test('more than 3 choices become an Adaptive Card (v1.5) of imBack buttons, not suggested actions', async () => {
    const entry = chat.runtime.knowledge.byId.get('planswitch.conditions-postpaid-prepaid')!;
    const said = await chat.say(entry.question.en, { recipient: BOT } as Partial<Activity>);
    const reply = said.find((s) => cardOf(s))!;
    expect(reply).toBeDefined();
    expect(reply.activity.suggestedActions).toBeUndefined();
    const card = cardOf(reply);
    expect(Number(card.version)).toBeLessThanOrEqual(1.5);
    const buttons = cardButtons(card);
    expect(buttons.length).toBeGreaterThan(3);
    // pressing a card button posts its value as a message, as a suggested action would
    const next = await chat.say(buttons[1]!.value, { recipient: BOT } as Partial<Activity>);
    expect(next[0]!.text.length).toBeGreaterThan(20);
  });

  test('a reply with a card carries its choices inside the card (Teams hides suggested actions beside attachments)', () => {
    const activity = adaptForTeams(
      {
        type: 'message',
        text: 'Eligible',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Eligible' }] } }],
        suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Pro-rata', value: 'kira prorata' }, { type: 'imBack', title: 'Menu', value: 'menu' }] },
      },
      false,
    );
    expect(activity.suggestedActions).toBeUndefined();
    expect(activity.attachments).toHaveLength(1);
    const card = activity.attachments![0]!.content as any;
    expect(card.body[0]).toEqual({ type: 'TextBlock', text: 'Eligible' });
    expect(cardButtons(card)).toEqual([
      { title: 'Pro-rata', value: 'kira prorata' },
      { title: 'Menu', value: 'menu' },
    ]);
  });

  test('a bare @mention greets; a card button the bot does not know gets a helpful answer', async () => {
    const greeted = await inChannel('<at>Support Bot</at>', [{ type: 'mention', text: '<at>Support Bot</at>', mentioned: BOT }]);
    expect(greeted).toHaveLength(1);
    expect(greeted[0]!.text).toBe(chat.runtime.catalog.both('welcome.text'));
    const unknown = await chat.say('', { recipient: BOT, value: { action: 'old-card-v1' }, locale: 'en-US' } as Partial<Activity>);
    // a press has no words to tell the language by: both, as the welcome
    expect(unknown.map((s) => s.text)).toEqual([chat.runtime.catalog.both('channels.teams.unknown-submit')]);
    expect(unknown[0]!.text).toContain(chat.runtime.catalog.t('ms', 'channels.teams.unknown-submit'));
    expect(unknown[0]!.text).toContain(chat.runtime.catalog.t('en', 'channels.teams.unknown-submit'));
  });

  test('in a channel even the 3 menu choices become a card (Teams shows no suggested actions there)', async () => {
    const said = await inChannel('<at>Support Bot</at> menu', [{ type: 'mention', text: '<at>Support Bot</at>', mentioned: BOT }]);
    expect(said[0]!.activity.suggestedActions).toBeUndefined();
    expect(cardButtons(cardOf(said[0]!))).toHaveLength(3);
  });

  test('other channels are left alone', async () => {
    const activity = { type: 'message', channelId: 'webchat', text: '<at>Support Bot</at> hai', recipient: BOT, entities: [] } as Partial<Activity>;
    const hooks: unknown[] = [];
    let called = false;
    await createTeamsMiddleware().onTurn({ activity, onSendActivities: (h: unknown) => hooks.push(h) } as never, async () => {
      called = true;
    });
    expect(called).toBe(true);
    expect(activity.text).toBe('<at>Support Bot</at> hai');
    expect(hooks).toHaveLength(0);
    expect(adaptForTeams({ type: 'typing' }, true)).toEqual({ type: 'typing' });
  });
});

describe('Teams card limits', () => {
  test('a newer card is held to 1.5 and the choices are appended under an existing card', () => {
    expect(fitCard({ type: 'AdaptiveCard', version: '1.6', body: [] }).version).toBe('1.5');
    expect(fitCard({ type: 'AdaptiveCard', version: '1.2', body: [] }).version).toBe('1.2');
    const activity = adaptForTeams(
      {
        type: 'message',
        text: 'x',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.6', body: [{ type: 'TextBlock', text: 'hi' }] } }],
        suggestedActions: { to: [], actions: ['a', 'b', 'c', 'd'].map((v) => ({ type: 'imBack', title: v, value: v })) },
      },
      false,
    );
    const card = activity.attachments![0]!.content as any;
    expect(card.version).toBe('1.5');
    expect(card.body).toHaveLength(5);
    expect(activity.suggestedActions).toBeUndefined();
  });

  test('a card too large for Teams is dropped; the text remains', () => {
    const big = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x'.repeat(40_000) }] };
    const activity = adaptForTeams({ type: 'message', text: 'the text', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: big }] }, false);
    expect(activity.attachments).toBeUndefined();
    expect(activity.text).toBe('the text');
  });
});

describe('Teams app package', () => {
  const appId = '6f1c2a3b-1234-4cde-9abc-0123456789ab';
  test('the committed icons have the sizes Teams asks for, and the generator makes the same', () => {
    const color = fs.readFileSync(path.join(TEAMS_DIR, 'color.png'));
    const outline = fs.readFileSync(path.join(TEAMS_DIR, 'outline.png'));
    expect(pngInfo(color)).toMatchObject({ width: 192, height: 192 });
    expect(pngInfo(outline)).toMatchObject({ width: 32, height: 32, colorType: 6 });
    expect(colorIcon().equals(color)).toBe(true);
    expect(outlineIcon().equals(outline)).toBe(true);
  });

  test('the zip holds the manifest with the configured app id, valid against the schema', () => {
    const { zip, manifest } = buildPackage({ MicrosoftAppId: appId, publicUrl: 'https://bot.example.com' });
    const entries = new AdmZip(zip).getEntries().map((e) => e.entryName).sort();
    expect(entries).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const inZip = JSON.parse(new AdmZip(zip).readAsText('manifest.json'));
    expect(inZip.id).toBe(appId);
    expect(inZip.bots[0].botId).toBe(appId);
    expect(inZip.validDomains).toEqual(['bot.example.com']);
    expect(manifest.manifestVersion).toBe('1.30');
  });

  test('no package without a real public https address; the manifest points at the bot\'s own privacy and terms pages', () => {
    for (const publicUrl of ['', 'http://localhost:3978', 'https://localhost:3978', 'https://127.0.0.1', 'http://bot.example.com', 'not a url']) {
      expect(() => buildPackage({ MicrosoftAppId: appId, publicUrl })).toThrow(/PUBLIC_URL/);
    }
    const { manifest } = buildPackage({ MicrosoftAppId: appId, publicUrl: 'https://bot.example.com' });
    expect((manifest.developer as any).privacyUrl).toBe('https://bot.example.com/legal/privacy');
    expect((manifest.developer as any).termsOfUseUrl).toBe('https://bot.example.com/legal/terms');
  });

  test('an invalid manifest or a missing app id is refused', () => {
    expect(() => buildPackage({ MicrosoftAppId: '', publicUrl: 'https://bot.example.com' })).toThrow(/MicrosoftAppId/);
    const template = fs.readFileSync(path.join(TEAMS_DIR, 'manifest.json'), 'utf8');
    const manifest = buildManifest(template, { MicrosoftAppId: appId, publicUrl: 'https://bot.example.com' });
    (manifest.name as any).short = 'x'.repeat(31);
    delete (manifest as any).developer;
    const files = new Map([
      ['color.png', colorIcon()],
      ['outline.png', colorIcon()],
    ]);
    const result = validatePackage(manifest, files);
    expect(result.ok).toBe(false);
    expect(result.errors.join('\n')).toMatch(/developer/);
    expect(result.errors.join('\n')).toMatch(/name\/short/);
    expect(result.errors.join('\n')).toMatch(/outline icon must be 32×32/);
  });
});
