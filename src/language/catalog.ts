/**
 * The bot's own words: every prompt, button, error, e-mail and page text, in Malay and English, loaded
 * from knowledge/messages/*.yaml. A key without both languages, or defined twice, stops loading.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseYaml } from '../yamlCache';
import { z } from 'zod';
import type { Lang } from '../knowledge/types';

const messageSchema = z.strictObject({ ms: z.string().min(1), en: z.string().min(1) });
const fileSchema = z.record(z.string().regex(/^[a-z][a-zA-Z0-9_.-]*$/, 'keys are lower-case dotted names'), messageSchema);

export type Vars = Record<string, string | number>;

export class MessageCatalog {
  private constructor(private readonly messages: Map<string, { ms: string; en: string }>) {}

  /** Loads every .yaml file of a folder (knowledge/messages). */
  static load(dir: string): MessageCatalog {
    const messages = new Map<string, { ms: string; en: string }>();
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .sort();
    for (const file of files) {
      const full = path.join(dir, file);
      let data: unknown;
      try {
        data = parseYaml(fs.readFileSync(full, 'utf8'), full);
      } catch (err) {
        throw new Error(`${full}: not valid YAML: ${(err as Error).message}`);
      }
      const parsed = fileSchema.safeParse(data ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(`${full}: message "${issue.path.join('.')}": ${issue.message}`);
      }
      for (const [key, value] of Object.entries(parsed.data)) {
        if (messages.has(key)) throw new Error(`${full}: message "${key}" is defined twice`);
        messages.set(key, value);
      }
    }
    return new MessageCatalog(messages);
  }

  has(key: string): boolean {
    return this.messages.has(key);
  }

  keys(): string[] {
    return [...this.messages.keys()];
  }

  /** The message in a language with {placeholders} filled; an unknown key or a missing variable throws. */
  t(lang: Lang, key: string, vars: Vars = {}): string {
    const message = this.messages.get(key);
    if (!message) throw new Error(`message catalog: no message "${key}"`);
    return message[lang].replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = vars[name];
      if (value === undefined) throw new Error(`message catalog: "${key}" needs {${name}}`);
      return String(value);
    });
  }

  /** Both languages, Malay first: for the few texts shown before the customer's language is known. */
  both(key: string, vars: Vars = {}): string {
    return `${this.t('ms', key, vars)}\n\n${this.t('en', key, vars)}`;
  }
}
