/**
 * The OpenAPI 3.1 description of the admin API (served at GET /api/admin/openapi.json, behind the same
 * bearer token). Kept beside the routes in ./tickets.ts; a test checks that every route is described.
 */
import { TICKET_CATEGORIES, TICKET_STATUSES } from '../services/tickets';

const error = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: error } } });
const reference = {
  name: 'reference',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^TKT-\\d{8}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$' },
  example: 'TKT-20261122-7QF3',
};

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
        parameters: [
          { name: 'status', in: 'query', schema: { type: 'string', enum: [...TICKET_STATUSES] } },
          { name: 'category', in: 'query', schema: { type: 'string', enum: [...TICKET_CATEGORIES] } },
          { name: 'channel', in: 'query', schema: { type: 'string' } },
          { name: 'assignee', in: 'query', schema: { type: 'string' } },
          { name: 'created_from', in: 'query', description: 'YYYY-MM-DD (Kuala Lumpur date) or ISO timestamp, inclusive', schema: { type: 'string' } },
          { name: 'created_to', in: 'query', description: 'YYYY-MM-DD (Kuala Lumpur date) or ISO timestamp, inclusive', schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
        ],
        responses: {
          '200': {
            description: 'A page of tickets',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items', 'total', 'limit', 'offset'],
                  properties: {
                    items: { type: 'array', items: { $ref: '#/components/schemas/TicketSummary' } },
                    total: { type: 'integer' },
                    limit: { type: 'integer' },
                    offset: { type: 'integer' },
                  },
                },
              },
            },
          },
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
          '200': { description: 'The ticket', content: { 'application/json': { schema: { $ref: '#/components/schemas/Ticket' } } } },
          '401': errorResponse('Missing or wrong token'),
          '404': errorResponse('No such ticket (or not a reference)'),
        },
      },
      patch: {
        summary: 'Change status and/or assignee',
        parameters: [reference],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                minProperties: 1,
                properties: {
                  status: { type: 'string', enum: [...TICKET_STATUSES] },
                  assignee: { type: ['string', 'null'], minLength: 1, maxLength: 200 },
                },
              },
            },
          },
        },
        responses: {
          '200': { description: 'The updated ticket', content: { 'application/json': { schema: { $ref: '#/components/schemas/Ticket' } } } },
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
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['text', 'author'],
                properties: {
                  text: { type: 'string', minLength: 1, maxLength: 4000 },
                  author: { type: 'string', minLength: 1, maxLength: 200 },
                  status: { type: 'string', enum: [...TICKET_STATUSES], description: 'New status (default waiting_for_customer)' },
                },
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'Stored and delivered (see reply.delivery: bot, email or none)',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { ticket: { $ref: '#/components/schemas/Ticket' }, reply: { $ref: '#/components/schemas/Reply' } },
                },
              },
            },
          },
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
      Error: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'string' }, field: { type: 'string' }, problem: { type: 'string' } },
      },
      TicketSummary: {
        type: 'object',
        properties: {
          reference: { type: 'string' },
          status: { type: 'string', enum: [...TICKET_STATUSES] },
          category: { type: 'string', enum: [...TICKET_CATEGORIES] },
          name: { type: 'string' },
          email: { type: ['string', 'null'], description: 'masked' },
          phone: { type: ['string', 'null'], description: 'masked' },
          lang: { type: 'string', enum: ['ms', 'en'] },
          channel: { type: 'string' },
          assignee: { type: ['string', 'null'] },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
        },
      },
      Reply: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          author: { type: 'string' },
          text: { type: 'string' },
          delivery: { type: 'string', enum: ['pending', 'bot', 'email', 'none'] },
          deliveryError: { type: ['string', 'null'] },
          createdAt: { type: 'string', format: 'date-time' },
          deliveredAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      Ticket: {
        type: 'object',
        properties: {
          reference: { type: 'string' },
          status: { type: 'string', enum: [...TICKET_STATUSES] },
          category: { type: 'string', enum: [...TICKET_CATEGORIES] },
          description: { type: 'string' },
          name: { type: 'string' },
          email: { type: ['string', 'null'] },
          phone: { type: ['string', 'null'], description: 'E.164' },
          consentAt: { type: 'string', format: 'date-time' },
          lang: { type: 'string', enum: ['ms', 'en'] },
          channel: { type: 'string' },
          excerpt: { type: ['string', 'null'], description: 'recent customer messages, personal data masked' },
          source: { type: ['string', 'null'] },
          assignee: { type: ['string', 'null'] },
          reachableInChat: { type: 'boolean' },
          confirmationPending: {
            type: 'boolean',
            description: 'the confirmation reply with the reference has not reached the customer yet (it goes with their next message, or proactively)',
          },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
          replies: { type: 'array', items: { $ref: '#/components/schemas/Reply' } },
        },
      },
    },
  },
} as const;
