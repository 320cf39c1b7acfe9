/**
 * The chat page's rendering: catalog words HTML-escaped into the template, unknown placeholders refused,
 * the page language chosen from ?lang= and Accept-Language.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageCatalog } from '../../src/language/catalog';
import { pageLanguage, renderPage } from '../../src/channels/directline/feature';

function catalogWith(yaml: string): MessageCatalog {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-'));
  fs.writeFileSync(path.join(dir, 'web.yaml'), yaml);
  return MessageCatalog.load(dir);
}

describe('the chat page template', () => {
  const catalog = catalogWith(`web.x:\n  ms: 'Tanya "apa-apa" <di sini> & sana'\n  en: "Ask <b>anything</b>"\n`);

  it('fills the page language and both languages, escaped', () => {
    const html = renderPage('<html lang="{{lang}}"><p data-ms="{{ms:web.x}}" data-en="{{en:web.x}}">{{t:web.x}}</p>', catalog, 'en');
    expect(html).toBe(
      '<html lang="en"><p data-ms="Tanya &quot;apa-apa&quot; &lt;di sini&gt; &amp; sana" data-en="Ask &lt;b&gt;anything&lt;/b&gt;">Ask &lt;b&gt;anything&lt;/b&gt;</p>',
    );
  });

  it('refuses unknown placeholders and unknown keys', () => {
    expect(() => renderPage('{{title}}', catalog, 'ms')).toThrow(/unknown placeholder/);
    expect(() => renderPage('{{t:web.missing}}', catalog, 'ms')).toThrow(/no message "web.missing"/);
  });

  it('renders the real page in both languages from the real catalog, with nothing left unfilled', () => {
    // the page's words are all in web.yaml
    const real = catalogWith(fs.readFileSync(path.join(__dirname, '../../knowledge/messages/web.yaml'), 'utf8'));
    const template = fs.readFileSync(path.join(__dirname, '../../public/index.html'), 'utf8');
    for (const lang of ['ms', 'en'] as const) {
      const assets = new Map(['app.js', 'app.css', 'webchat.js'].map((f) => [f, `/webchat/${f.replace('.', '.0123456789ab.')}`]));
      const html = renderPage(template, real, lang, { maxChars: 2000, assets });
      expect(html).not.toContain('{{');
      expect(html).toContain('src="/webchat/webchat.0123456789ab.js"');
      expect(html).toContain('data-max-chars="2000"');
      // the counter's {count} is left for the page's script, {max} is filled
      expect(html).toContain(`data-counter-${lang}="{count} / 2000`);
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain(real.t(lang, 'web.title'));
    }
  });
});

describe('the page language', () => {
  it.each([
    ['en', undefined, 'en'],
    ['ms', 'en-US', 'ms'],
    [null, 'en-GB,en;q=0.9', 'en'],
    [null, 'ms-MY,en;q=0.8', 'ms'],
    [null, 'zh-CN, en;q=0.3, ms;q=0.7', 'ms'],
    [null, 'id-ID', 'ms'],
    [null, 'fr-FR', 'ms'],
    [null, undefined, 'ms'],
    ['xx', 'en;q=0', 'ms'],
  ] as const)('?lang=%s, Accept-Language %s → %s', (query, accept, expected) => {
    expect(pageLanguage(query, accept)).toBe(expected);
  });
});
