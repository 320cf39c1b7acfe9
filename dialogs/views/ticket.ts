/**
 * The ticket procedure's words and buttons (dialogs/ticket.ts decides, this module writes): the questions'
 * buttons and the summary. Every text comes from knowledge/messages/tickets.yaml; a button's label is its
 * message in the turn's language, the meaning it carries (`value.choice`) is an id that names no language.
 */
import type { Choice, Reply } from '../../src/bot/reply';
import { maskEmail, maskPhone, redactPersonalData } from '../../src/domain';
import type { Lang } from '../../src/knowledge/types';
import type { MessageCatalog } from '../../src/language/catalog';
import { TICKET_CATEGORIES, type TicketCategory } from '../../src/services/tickets';

/** What the summary shows (the values gathered so far). */
export interface TicketSummaryValues {
  category?: TicketCategory;
  description?: string;
  name?: string;
  email?: string;
  phone?: string;
}

export const TICKET_FIELDS = ['category', 'description', 'name', 'contact'] as const;
export type TicketField = (typeof TICKET_FIELDS)[number];

/** The button ids of the summary and of the consent question. */
export const SUBMIT_ID = 'ticket:submit';
export const EDIT_ID = 'ticket:edit';
export const CANCEL_ID = 'ticket:cancel';
export const YES_ID = 'ticket:yes';
export const NO_ID = 'ticket:no';
export const fieldId = (field: TicketField) => `ticket:field:${field}`;

function button(catalog: MessageCatalog, lang: Lang, key: string, id: string): Choice {
  const title = catalog.t(lang, key);
  return { title, value: title, id };
}

/** One button per category: the label in the customer's language, the category id as what it carries. */
export function categoryChoices(catalog: MessageCatalog, lang: Lang): Choice[] {
  return TICKET_CATEGORIES.map((c) => button(catalog, lang, `tickets.category.${c}`, c));
}

export function consentChoices(catalog: MessageCatalog, lang: Lang): Choice[] {
  return [
    button(catalog, lang, 'tickets.button.yes', YES_ID),
    button(catalog, lang, 'tickets.button.edit', EDIT_ID),
    button(catalog, lang, 'tickets.button.no', NO_ID),
  ];
}

export function fieldChoices(catalog: MessageCatalog, lang: Lang): Choice[] {
  return TICKET_FIELDS.map((f) => button(catalog, lang, `tickets.field.${f}`, fieldId(f)));
}

/** The contact as the summary shows it: masked. */
export function maskedContact(values: TicketSummaryValues): string {
  return [values.email ? maskEmail(values.email) : '', values.phone ? maskPhone(values.phone) : ''].filter(Boolean).join(', ');
}

/** The ticket's fields as the summary shows them (the description and contact masked). */
function summaryVars(catalog: MessageCatalog, lang: Lang, values: TicketSummaryValues): Record<string, string> {
  return {
    category: catalog.t(lang, `tickets.category.${values.category!}`),
    description: redactPersonalData(values.description ?? ''),
    name: values.name ? values.name : catalog.t(lang, 'tickets.name.not-given'),
    contact: maskedContact(values),
  };
}

/**
 * The ticket to check and the PDPA consent in one question: agreeing submits it (one "yes", not a consent and
 * then a summary to confirm; customers took the first "yes" for sending and moved on).
 */
export function consentReply(catalog: MessageCatalog, lang: Lang, values: TicketSummaryValues): Reply {
  return { text: catalog.t(lang, 'tickets.ask-consent', summaryVars(catalog, lang, values)), choices: consentChoices(catalog, lang) };
}

/** The summary to submit, edit or cancel: personal data masked (the description too). */
export function summaryReply(catalog: MessageCatalog, lang: Lang, values: TicketSummaryValues): Reply {
  return {
    text: catalog.t(lang, 'tickets.summary', summaryVars(catalog, lang, values)),
    choices: [
      button(catalog, lang, 'tickets.button.submit', SUBMIT_ID),
      button(catalog, lang, 'tickets.button.edit', EDIT_ID),
      // the text it sends back is the cancel command the router reads
      button(catalog, lang, 'tickets.button.cancel', CANCEL_ID),
    ],
  };
}
