/**
 * "Did this help?" (issue 19, item 2) through the real server: after an FAQ answer a card of its own with two
 * messageBack buttons carrying values (the answer's follow-up buttons unchanged); a press is recognised by its
 * value, not its label; "no" offers a person and a ticket; the vote is stored once, with the entry and the
 * customer's question masked.
 */
import { type RunningBot, activity, post, startBot, texts } from '../helpers/app';

type Act = { text?: string; attachments?: Array<{ contentType: string; content: any }>; suggestedActions?: { actions: Array<{ title: string; value: string }> } };

describe('feedback on answers', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => bot.stop());

  const rows = () => bot.app.runtime.database.db.selectFrom('answer_feedback').selectAll().execute();

  async function answer(text: string, conversation: string, locale = 'en-US') {
    const res = await post(bot.url, activity(text, { conversation: { id: conversation }, locale }));
    const acts = res.body.activities as Act[];
    const card = acts.find((a) => a.attachments?.some((x) => x.contentType === 'application/vnd.microsoft.card.hero'));
    return { acts, card };
  }

  test('an FAQ answer is followed by a separate card with value-carrying buttons; the follow-ups stay', async () => {
    const { acts, card } = await answer('How do I upgrade my user account?', 'fb-1');
    expect(card).toBeDefined();
    const answerAct = acts[0]!;
    expect(answerAct.attachments ?? []).toHaveLength(0);
    const hero = card!.attachments![0]!.content;
    expect(hero.text).toBe('Did this answer help?');
    expect(hero.buttons).toHaveLength(2);
    for (const b of hero.buttons) {
      expect(b.type).toBe('messageBack');
      expect(b.value.insightFeedback).toMatch(/^[A-Za-z0-9_-]{12}$/);
    }
    expect(hero.buttons.map((b: any) => b.value.vote)).toEqual(['helpful', 'not_helpful']);
  });

  test.each([
    ['ms', 'Apa beza pengguna biasa dan pengguna utama?', 'ms-MY', 'Adakah jawapan ini membantu?'],
    ['en', 'What is the difference between a regular user and a main user?', 'en-MY', 'Did this answer help?'],
  ] as const)('%s: the card says which language it is in, the answer\'s, whatever the client said (the page follows it)', async (_lang, question, locale, ask) => {
    // the client announces the other language: the customer's words decide
    const { acts, card } = await answer(question, `fb-lang-${locale}`, locale === 'ms-MY' ? 'en-US' : 'ms-MY');
    expect(acts[0]!).toMatchObject({ locale });
    expect(card!.attachments![0]!.content.text).toBe(ask);
    expect(card).toMatchObject({ locale });
  });

  test('"no" (recognised by its value, whatever the text) offers a person and a ticket, and is stored masked', async () => {
    const { card } = await answer('how to upgrade my ebiz account? call me at 012-345 6789', 'fb-2');
    const no = card!.attachments![0]!.content.buttons[1];
    // the label text is irrelevant: the value decides
    const res = await post(bot.url, activity('anything at all', { conversation: { id: 'fb-2' }, value: no.value }));
    const acts = res.body.activities as Act[];
    expect(acts).toHaveLength(1);
    expect(acts[0]!.text).toMatch(/didn't help/);
    expect(acts[0]!.suggestedActions!.actions.map((a) => a.title)).toEqual(['Talk to a person', 'Raise a ticket']);
    const stored = (await rows()).filter((r) => r.vote === 'not_helpful');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.entry_id).toBe('ebiz.upgrade-account');
    expect(stored[0]!.question).toContain('how to upgrade my ebiz account');
    expect(stored[0]!.question).not.toContain('345 6789');
    expect(stored[0]!.lang).toBe('en');
  });

  test('Malay: "yes" thanks in Malay; a second press is not counted again', async () => {
    const { card } = await answer('Bagaimana tatacara untuk naiktaraf akaun pengguna?', 'fb-3', 'ms-MY');
    const hero = card!.attachments![0]!.content;
    expect(hero.text).toBe('Adakah jawapan ini membantu?');
    const yes = hero.buttons[0];
    const first = texts(await post(bot.url, activity(yes.text, { conversation: { id: 'fb-3' }, value: yes.value, locale: 'ms-MY' })));
    expect(first).toEqual(['Terima kasih atas maklum balas anda.']);
    const again = texts(await post(bot.url, activity(yes.text, { conversation: { id: 'fb-3' }, value: yes.value, locale: 'ms-MY' })));
    expect(again[0]).toMatch(/telah pun direkodkan/);
    expect((await rows()).filter((r) => r.vote === 'helpful')).toHaveLength(1);
    const metric = await bot.app.runtime.metrics.values('bot_answer_feedback_total');
    expect(metric.find((v) => v.labels.vote === 'helpful')?.value).toBe(1);
  });

  test('a press from another conversation, or a made-up reference, stores nothing', async () => {
    const { card } = await answer('How do I upgrade my user account?', 'fb-4');
    const yes = card!.attachments![0]!.content.buttons[0];
    const before = (await rows()).length;
    await post(bot.url, activity('x', { conversation: { id: 'fb-other' }, value: yes.value }));
    await post(bot.url, activity('x', { conversation: { id: 'fb-4' }, value: { insightFeedback: 'AAAAAAAAAAAA', vote: 'helpful' } }));
    expect((await rows()).length).toBe(before);
  });
});
