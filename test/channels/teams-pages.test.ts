/**
 * The privacy and terms pages the Teams manifest names (GET /legal/privacy, /legal/terms): served by the bot,
 * in Malay and English, with the retention horizons it applies.
 */
import { type RunningBot, startBot } from '../helpers/app';

let bot: RunningBot;
beforeAll(async () => {
  bot = await startBot({ RETENTION_DAYS: '60', STATE_IDLE_DAYS: '21', TICKET_RETENTION_DAYS: '400' });
});
afterAll(async () => {
  await bot.stop();
});

test.each(['privacy', 'terms'] as const)('/legal/%s: one page in both languages, Malay first unless ?lang=en', async (page) => {
  const catalog = bot.app.runtime.catalog;
  const res = await fetch(`${bot.url}/legal/${page}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/html');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  const html = await res.text();
  const ms = html.indexOf(catalog.t('ms', `channels.teams.${page}.title`));
  const en = html.indexOf(catalog.t('en', `channels.teams.${page}.title`));
  expect(ms).toBeGreaterThan(0);
  expect(en).toBeGreaterThan(ms);
  expect(html).toContain('<section lang="ms">');
  expect(html).toContain('<section lang="en">');
  if (page === 'privacy') {
    expect(html).toContain('21 days');
    expect(html).toContain('60 days');
    expect(html).toContain('400 hari');
  }
  const english = await (await fetch(`${bot.url}/legal/${page}?lang=en`)).text();
  expect(english.indexOf(catalog.t('en', `channels.teams.${page}.title`))).toBeLessThan(english.indexOf(catalog.t('ms', `channels.teams.${page}.title`)));
});
