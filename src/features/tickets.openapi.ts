/**
 * The OpenAPI 3.1 description of the admin API (served at GET /api/admin/openapi.json, behind the same
 * bearer token). Its schemas are generated from the zod schemas the routes use (./tickets.schemas.ts) with
 * z.toJSONSchema (JSON Schema 2020-12, OpenAPI 3.1's own dialect): request bodies and parameters as the routes
 * accept them (io "input"), responses as the routes send them (io "output"). A test checks that every route is
 * described and that the document's request schemas accept and reject what the routes do.
 */
import { z } from 'zod';
import {
  errorView,
  listQuery,
  patchBody,
  replyBody,
  replyCreatedView,
  replyView,
  ticketPageView,
  ticketReference,
  ticketSummaryView,
  ticketView,
} from './tickets.schemas';

type JsonSchema = Record<string, unknown>;

/** Components named in the document, converted together so that they refer to each other by $ref. */
function components(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: out } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'throw',
    uri: (id) => `#/components/schemas/${id}`,
  });
  // $schema is the document's dialect already; an $id with a fragment is not a valid 2020-12 $id
  return Object.fromEntries(Object.entries(out).map(([id, { $schema: _s, $id: _i, ...rest }]) => [id, rest as JsonSchema]));
}

/** One schema inline (parameters). */
function inline(schema: z.ZodType): JsonSchema {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'throw' });
  return rest as JsonSchema;
}

/** The query parameters of a strict object schema: one per property, required as the schema says. */
function queryParameters(schema: z.ZodType) {
  const json = inline(schema) as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties).map(([name, { description, ...s }]) => ({
    name,
    in: 'query',
    ...(json.required?.includes(name) ? { required: true } : {}),
    ...(description ? { description } : {}),
    schema: s,
  }));
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ 'application/json': { schema: ref(id) } });
const errorResponse = (description: string) => ({ description, content: json('Error') });
const reference = { name: 'reference', in: 'path', required: true, schema: inline(ticketReference), example: 'TKT-20261122-7QF3' };

export const adminOpenApi = {
  openapi: '3.1.0',
  info: {
    title: 'Support bot admin API',
    version: '1.0.0',
    description:
      'Customer service works support tickets here. Every request needs `Authorization: Bearer <ADMIN_TOKEN>`; ' +
      'when ADMIN_TOKEN is not configured every request is refused with 401. Lists mask personal data; one ticket shows it in full.',
  },
  servers: [{ url: '/api/admin' }],
  security: [{ bearer: [] }],
  paths: {
    '/openapi.json': {
      get: { summary: 'This document', responses: { '200': { description: 'OpenAPI document' }, '401': errorResponse('Missing or wrong token') } },
    },
    '/tickets': {
      get: {
        summary: 'List tickets, newest first',
        parameters: queryParameters(listQuery),
        responses: {
          '200': { description: 'A page of tickets', content: json('TicketPage') },
          '400': errorResponse('Invalid filter'),
          '401': errorResponse('Missing or wrong token'),
        },
      },
    },
    '/tickets/{reference}': {
      get: {
        summary: 'One ticket with its replies',
        parameters: [reference],
        responses: {
          '200': { description: 'The ticket', content: json('Ticket') },
          '401': errorResponse('Missing or wrong token'),
          '404': errorResponse('No such ticket (or not a reference)'),
        },
      },
      patch: {
        summary: 'Change status and/or assignee',
        parameters: [reference],
        requestBody: { required: true, content: json('TicketChange') },
        responses: {
          '200': { description: 'The updated ticket', content: json('Ticket') },
          '400': errorResponse('Invalid body'),
          '401': errorResponse('Missing or wrong token'),
          '404': errorResponse('No such ticket'),
        },
      },
    },
    '/tickets/{reference}/replies': {
      post: {
        summary: 'Add a staff reply; it is delivered to the customer in their language (chat, else e-mail)',
        parameters: [reference],
        requestBody: { required: true, content: json('NewReply') },
        responses: {
          '201': { description: 'Stored and delivered (see reply.delivery: bot, email or none)', content: json('ReplyCreated') },
          '400': errorResponse('Invalid body'),
          '401': errorResponse('Missing or wrong token'),
          '404': errorResponse('No such ticket'),
          '409': errorResponse('The ticket is closed'),
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      ...components({ TicketChange: patchBody, NewReply: replyBody }, 'input'),
      ...components(
        {
          Error: errorView,
          TicketSummary: ticketSummaryView,
          TicketPage: ticketPageView,
          Reply: replyView,
          Ticket: ticketView,
          ReplyCreated: replyCreatedView,
        },
        'output',
      ),
    },
  },
};
