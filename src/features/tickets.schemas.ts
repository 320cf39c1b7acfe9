/**
 * The admin API's zod schemas, one definition each: the routes in ./tickets.ts validate requests with them and
 * type what they send with them, and ./tickets.openapi.ts generates the OpenAPI document's schemas from them
 * (z.toJSONSchema), so the description cannot drift from the validation.
 */
import { z } from 'zod';
import { REFERENCE_RE, REPLY_MAX, TICKET_CATEGORIES, TICKET_STATUSES } from '../services/tickets';

const dateOrTimestamp = z
  .string()
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) ? !Number.isNaN(Date.parse(v)) : /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)), {
    message: 'must be YYYY-MM-DD or an ISO timestamp',
  })
  .meta({ description: 'YYYY-MM-DD (Kuala Lumpur date) or ISO timestamp, inclusive' });

const status = z.enum(TICKET_STATUSES);
const category = z.enum(TICKET_CATEGORIES);
const lang = z.enum(['ms', 'en']);
const timestamp = z.string().meta({ format: 'date-time' });

/** A ticket reference in a path; anything else is answered 404 like an unknown reference. */
export const ticketReference = z.string().regex(REFERENCE_RE);

/** GET /api/admin/tickets: the query string. */
export const listQuery = z.strictObject({
  status: status.optional(),
  category: category.optional(),
  channel: z.string().min(1).max(64).optional(),
  assignee: z.string().min(1).max(200).optional(),
  created_from: dateOrTimestamp.optional(),
  created_to: dateOrTimestamp.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** PATCH /api/admin/tickets/:reference. minProperties states the refine for JSON Schema (the object is strict). */
export const patchBody = z
  .strictObject({
    status: status.optional(),
    assignee: z.string().trim().min(1).max(200).regex(/\S/).nullable().optional(),
  })
  .refine((b) => b.status !== undefined || b.assignee !== undefined, { message: 'give status and/or assignee' })
  .meta({ minProperties: 1 });

/** POST /api/admin/tickets/:reference/replies. */
export const replyBody = z.strictObject({
  text: z.string().trim().min(1).max(REPLY_MAX).regex(/\S/),
  author: z.string().trim().min(1).max(200).regex(/\S/),
  status: status.optional().meta({ description: 'New status (default waiting_for_customer)' }),
});

// ---- responses: not validated at run time; the routes send values of these types ----

export const errorView = z.object({ error: z.string(), field: z.string().optional(), problem: z.string().optional() });

export const ticketSummaryView = z.object({
  reference: z.string(),
  status,
  category,
  name: z.string(),
  email: z.string().nullable().meta({ description: 'masked' }),
  phone: z.string().nullable().meta({ description: 'masked' }),
  lang,
  channel: z.string(),
  assignee: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const replyView = z.object({
  id: z.number().int(),
  author: z.string(),
  text: z.string(),
  delivery: z.enum(['pending', 'bot', 'email', 'none']),
  deliveryError: z.string().nullable(),
  createdAt: timestamp,
  deliveredAt: timestamp.nullable(),
});

export const attachmentView = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.enum(['image/jpeg', 'image/png', 'application/pdf']),
  size: z.number().int().meta({ description: 'bytes' }),
  createdAt: timestamp,
});

export const ticketView = z.object({
  reference: z.string(),
  status,
  category,
  description: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable().meta({ description: 'E.164' }),
  consentAt: timestamp,
  lang,
  channel: z.string(),
  excerpt: z.string().nullable().meta({ description: 'recent customer messages, personal data masked' }),
  source: z.string().nullable(),
  assignee: z.string().nullable(),
  reachableInChat: z.boolean(),
  confirmationPending: z.boolean().meta({
    description: 'the confirmation reply with the reference has not reached the customer yet (it goes with their next message, or proactively)',
  }),
  createdAt: timestamp,
  updatedAt: timestamp,
  replies: z.array(replyView),
  attachments: z
    .array(attachmentView)
    .optional()
    .meta({ description: 'files the customer attached in the web chat conversation that raised the ticket (GET of one ticket; save one with `npm run tickets -- attachment`)' }),
});

export const ticketPageView = z.object({
  items: z.array(ticketSummaryView),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const replyCreatedView = z.object({ ticket: ticketView, reply: replyView });

export type ErrorView = z.output<typeof errorView>;
export type TicketPageView = z.output<typeof ticketPageView>;
export type TicketView = z.output<typeof ticketView>;
export type ReplyCreatedView = z.output<typeof replyCreatedView>;
export type AttachmentView = z.output<typeof attachmentView>;
