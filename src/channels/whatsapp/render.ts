/**
 * Bot Framework message activities rendered as WhatsApp Cloud API messages (pure functions, no I/O):
 * - text → text messages (split at 4096 characters);
 * - suggested actions: 1–3 whose labels fit (≤ 20 characters) → interactive reply buttons; up to 10 → an
 *   interactive list (row titles ≤ 24, descriptions ≤ 72: the choice's description — the full question behind
 *   a short label — or, for a label too long for a row, its whole wording); more, or labels that cannot be
 *   shown whole either way → numbered text ("reply 2" maps back to the 2nd choice). A label is never cut to
 *   a fragment without its whole wording beside it;
 * - Adaptive Cards → their text (the activity's text is already the text version; a card without one gives
 *   its TextBlocks and facts), hero-card buttons become choices.
 * Button and row ids carry the choice's value when it fits (stateless across instances), otherwise a hash of
 * it that the adapter looks up among the choices it last offered.
 */
import { createHash } from 'node:crypto';
import type { Activity, Attachment, CardAction } from 'botbuilder';
import type { ChoiceMode, OfferedChoices } from './store';

export const LIMITS = {
  text: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listRows: 10,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  listButton: 20,
  templateParam: 1024,
} as const;

/** The few words the renderer adds itself, already in the customer's language. */
export interface RenderWords {
  /** The button that opens a list ("Pilihan" / "Options"). */
  listButton: string;
  /** Body of an interactive message whose text was sent separately ("Pilih satu:" / "Choose one:"). */
  chooseOne: string;
  /** Under a numbered list ("Balas dengan nombor pilihan anda."). */
  numberedHint: string;
}

export interface WaChoice {
  title: string;
  value: string;
  /** The longer wording (a WhatsApp list row's description), when the reply gave one. */
  description?: string;
}

export type WaMessage = Record<string, unknown>;

export interface Rendered {
  /** Message bodies without `to` / `messaging_product`, in sending order. */
  messages: WaMessage[];
  /** The choices this activity offered (undefined: none). */
  offered?: OfferedChoices;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Shortens to at most `max` characters at a word boundary where one is near, with an ellipsis. */
export function shorten(text: string, max: number): string {
  const s = collapse(text);
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  const base = space >= Math.floor(max * 0.5) ? cut.slice(0, space) : cut;
  return `${base.replace(/(?<![\s,.;:!?\-–(])[\s,.;:!?\-–(]+$/u, '')}…`;
}

export function choiceHash(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 16);
}

/** The id of a button or list row: the value itself when it fits, otherwise its hash. */
export function choiceId(value: string, maxLength: number): string {
  const direct = `v:${value}`;
  return direct.length <= maxLength ? direct : `h:${choiceHash(value)}`;
}

/** The value behind a button/row id, using the choices last offered for hashed ids. */
export function resolveChoiceId(id: string, offered: OfferedChoices | undefined): string | undefined {
  if (id.startsWith('v:')) return id.slice(2);
  if (id.startsWith('h:') && offered) return offered.values.find((v) => choiceHash(v) === id.slice(2));
  return undefined;
}

/** "2" (or "2.", " 2) ") as the 2nd of numbered choices. */
export function resolveNumberedReply(text: string, offered: OfferedChoices | undefined): string | undefined {
  if (!offered || offered.mode !== 'numbered') return undefined;
  const m = /^\s*(\d{1,3})\s*[.)]?\s*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= 1 && n <= offered.values.length ? offered.values[n - 1] : undefined;
}

/** Splits text into chunks of at most `max` characters, at paragraph, line or word boundaries. */
export function splitText(text: string, max: number = LIMITS.text): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let at = window.lastIndexOf('\n\n');
    if (at < max * 0.5) at = window.lastIndexOf('\n');
    if (at < max * 0.5) at = window.lastIndexOf(' ');
    if (at < max * 0.5) at = max;
    chunks.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) chunks.push(rest);
  return chunks;
}

/** Titles made unique after shortening (WhatsApp refuses two equal button titles). */
function uniqueTitles(titles: string[], max: number): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  titles.forEach((title, i) => {
    let t = shorten(title, max);
    if (seen.has(t.toLowerCase())) t = `${shorten(title, max - 5)} (${i + 1})`;
    seen.add(t.toLowerCase());
    out.push(t);
  });
  return out;
}

function actionChoices(actions: CardAction[] | undefined): WaChoice[] {
  const out: WaChoice[] = [];
  for (const a of actions ?? []) {
    if (a.type === 'openUrl' || a.type === 'signin' || a.type === 'call' || a.type === 'downloadFile') continue;
    const value = typeof a.value === 'string' ? a.value : typeof a.text === 'string' ? a.text : a.title;
    const title = a.title ?? (typeof a.value === 'string' ? a.value : '');
    // src/bot/reply.ts carries a choice's description in the action's channelData
    const description = (a.channelData as { description?: unknown } | undefined)?.description;
    if (value && title) out.push({ title, value, ...(typeof description === 'string' && description.trim() ? { description } : {}) });
  }
  return out;
}

/** The readable text of a card: TextBlocks, RichTextBlock runs, facts; nested containers included. */
export function cardText(card: unknown): string {
  const lines: string[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (depth > 12 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n, depth + 1);
      return;
    }
    const o = node as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') lines.push(o.text);
    if (o.type === 'TextRun' && typeof o.text === 'string') lines.push(o.text);
    if (o.type === 'FactSet' && Array.isArray(o.facts)) {
      for (const f of o.facts as Array<Record<string, unknown>>) {
        if (typeof f.title === 'string' && typeof f.value === 'string') lines.push(`${f.title}: ${f.value}`);
      }
    }
    for (const key of ['body', 'items', 'columns', 'inlines', 'card']) if (key in o) visit(o[key], depth + 1);
  };
  visit(card, 0);
  return lines.join('\n');
}

function attachmentsText(attachments: Attachment[] | undefined): { text: string; choices: WaChoice[] } {
  const texts: string[] = [];
  const choices: WaChoice[] = [];
  for (const att of attachments ?? []) {
    const content = att.content as Record<string, unknown> | undefined;
    if (!content) continue;
    if (att.contentType === 'application/vnd.microsoft.card.adaptive') {
      const t = cardText(content);
      if (t) texts.push(t);
    } else if (att.contentType?.startsWith('application/vnd.microsoft.card.')) {
      for (const key of ['title', 'subtitle', 'text']) if (typeof content[key] === 'string') texts.push(content[key] as string);
      choices.push(...actionChoices(content.buttons as CardAction[] | undefined));
    }
  }
  return { text: texts.join('\n\n'), choices };
}

/** Renders one message activity. */
export function renderActivity(activity: Partial<Activity>, words: RenderWords): Rendered {
  const fromCards = attachmentsText(activity.attachments);
  const text = (activity.text ?? '').trim() || fromCards.text.trim();
  const choices = [...actionChoices(activity.suggestedActions?.actions), ...fromCards.choices];
  const messages: WaMessage[] = [];
  const textMessages = (t: string) => splitText(t).map((body) => ({ type: 'text', text: { body, preview_url: /https?:\/\//.test(body) } }));

  if (choices.length === 0) {
    if (text) messages.push(...textMessages(text));
    return { messages };
  }

  let mode: ChoiceMode;
  const titles = choices.map((c) => collapse(c.title));
  const asButtons = choices.length <= LIMITS.buttons && titles.every((t) => t.length <= LIMITS.buttonTitle) && new Set(titles.map((t) => t.toLowerCase())).size === titles.length;
  // a row shows its label whole, or its whole wording in the description beside a shortened title
  const asList = choices.length <= LIMITS.listRows && titles.every((t) => t.length <= LIMITS.rowDescription);
  if (!asButtons && !asList) {
    mode = 'numbered';
    const list = choices.map((c, i) => `${i + 1}. ${collapse(c.title)}`).join('\n');
    messages.push(...textMessages(`${text ? `${text}\n\n` : ''}${list}\n\n${words.numberedHint}`));
    return { messages, offered: { mode, values: choices.map((c) => c.value) } };
  }

  // the interactive message's body holds the text when it fits; otherwise the text goes first on its own
  let body = text;
  if (!body || body.length > LIMITS.interactiveBody) {
    if (body) messages.push(...textMessages(body));
    body = words.chooseOne;
  }
  if (asButtons) {
    mode = 'buttons';
    messages.push({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: body },
        action: {
          buttons: choices.map((c, i) => ({ type: 'reply', reply: { id: choiceId(c.value, LIMITS.buttonId), title: titles[i] } })),
        },
      },
    });
  } else {
    mode = 'list';
    const rowTitles = uniqueTitles(titles, LIMITS.rowTitle);
    messages.push({
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: body },
        action: {
          button: shorten(words.listButton, LIMITS.listButton),
          sections: [
            {
              rows: choices.map((c, i) => {
                const row: Record<string, string> = { id: choiceId(c.value, LIMITS.rowId), title: rowTitles[i]! };
                if (rowTitles[i] !== titles[i]) row.description = titles[i]!; // the whole label (≤ 72, checked above)
                else if (c.description) row.description = shorten(c.description, LIMITS.rowDescription); // the full question
                return row;
              }),
            },
          ],
        },
      },
    });
  }
  return { messages, offered: { mode, values: choices.map((c) => c.value) } };
}

/** Text usable as a template parameter: no newlines or tabs, no runs of more than 4 spaces, ≤ 1024 characters. */
export function templateParameter(text: string): string {
  return shorten(text.replace(/[\r\n\t]+/g, ' '), LIMITS.templateParam);
}
