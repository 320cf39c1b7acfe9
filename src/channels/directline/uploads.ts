/**
 * Files a web chat customer attaches: Direct Line 3.0's "Send (upload) a file" — POST
 * /conversations/{id}/upload as multipart/form-data, with an optional `activity` part (the message that goes
 * with the files, as botframework-directlinejs sends it) and one or more file parts.
 *
 * What is taken: a photo (JPEG, PNG) or a PDF, each at most DIRECT_LINE_UPLOAD_MAX_BYTES, at most
 * MAX_FILES_PER_UPLOAD at once. The type is read from the file's first bytes, never from its name or the
 * declared content type. Accepted files are kept in the database (AttachmentStore; never in a temporary
 * folder, and the body is read into memory within the limit, so nothing touches the disk) and listed on
 * the ticket the conversation raises (staff: `npm run tickets -- show`).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';

interface DirectLineAttachmentsTable {
  id: string;
  conversation_id: string;
  name: string;
  content_type: string;
  size: number;
  data: string;
  created_at: number;
}

declare module '../../db/schema' {
  interface DB {
    directline_attachments: DirectLineAttachmentsTable;
  }
}

export const MAX_FILES_PER_UPLOAD = 5;

export type AcceptedType = 'image/jpeg' | 'image/png' | 'application/pdf';

/** The type of a file by its first bytes ("magic numbers"); undefined for anything not taken. */
export function sniffType(data: Buffer): AcceptedType | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.length >= 5 && data.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return undefined;
}

export interface Part {
  /** The form field's name ("activity", "file"). */
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** The boundary of a multipart/form-data Content-Type; undefined when it is not one. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!/^multipart\/form-data\s*;/i.test(contentType ?? '')) return undefined;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType!);
  return match?.[1] ?? match?.[2];
}

/**
 * The parts of a multipart/form-data body already read into memory (within the upload limit). Hand-written
 * rather than a library because the ones at hand (formidable) write files to the system's temporary folder;
 * this one only slices the buffer. Throws on a malformed body; at most `maxParts` parts.
 */
export function parseMultipart(body: Buffer, boundary: string, maxParts = MAX_FILES_PER_UPLOAD + 1): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new Error('multipart: no boundary');
  for (;;) {
    at += delimiter.length;
    // the closing delimiter "--boundary--"
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts;
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) throw new Error('multipart: malformed delimiter');
    at += 2;
    const headerEnd = body.indexOf('\r\n\r\n', at, 'latin1');
    if (headerEnd < 0 || headerEnd - at > 4096) throw new Error('multipart: malformed part headers');
    const headers = body.subarray(at, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new Error('multipart: unterminated part');
    if (parts.length >= maxParts) throw new Error('multipart: too many parts');
    const part: Part = { name: '', data: body.subarray(headerEnd + 4, next) };
    for (const line of headers) {
      const colon = line.indexOf(':');
      const field = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (field === 'content-disposition') {
        part.name = /;\s*name="([^"]*)"/i.exec(value)?.[1] ?? '';
        const filename = /;\s*filename="([^"]*)"/i.exec(value)?.[1];
        if (filename !== undefined) part.filename = filename;
      } else if (field === 'content-type') part.contentType = value.toLowerCase();
    }
    parts.push(part);
    at = next + 2;
  }
}

/** A file name as shown to staff: no path, no control characters, at most 120 characters. */
export function cleanFileName(name: string | undefined, type: AcceptedType): string {
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  const fallback = type === 'application/pdf' ? 'document.pdf' : type === 'image/png' ? 'photo.png' : 'photo.jpg';
  return (base || fallback).slice(0, 120);
}

export interface StoredAttachment {
  id: string;
  conversationId: string;
  name: string;
  contentType: string;
  size: number;
  createdAt: number;
}

export class AttachmentStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => number = Date.now,
  ) {}

  async save(conversationId: string, file: { name: string; contentType: AcceptedType; data: Buffer }): Promise<StoredAttachment> {
    const row = {
      id: `att_${randomBytes(12).toString('base64url')}`,
      conversation_id: conversationId,
      name: file.name,
      content_type: file.contentType,
      size: file.data.length,
      data: file.data.toString('base64'),
      created_at: this.now(),
    };
    await this.db.insertInto('directline_attachments').values(row).execute();
    return { id: row.id, conversationId, name: row.name, contentType: row.content_type, size: row.size, createdAt: row.created_at };
  }

  /** The files of a conversation (without their content), oldest first. */
  async list(conversationId: string): Promise<StoredAttachment[]> {
    const rows = await this.db
      .selectFrom('directline_attachments')
      .select(['id', 'conversation_id', 'name', 'content_type', 'size', 'created_at'])
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at', 'asc')
      .limit(100)
      .execute();
    return rows.map((r) => ({ id: r.id, conversationId: r.conversation_id, name: r.name, contentType: r.content_type, size: Number(r.size), createdAt: Number(r.created_at) }));
  }

  /** One file with its content, of the given conversation only. */
  async get(conversationId: string, id: string): Promise<(StoredAttachment & { data: Buffer }) | undefined> {
    const r = await this.db.selectFrom('directline_attachments').selectAll().where('id', '=', id).where('conversation_id', '=', conversationId).executeTakeFirst();
    if (!r) return undefined;
    return { id: r.id, conversationId: r.conversation_id, name: r.name, contentType: r.content_type, size: Number(r.size), createdAt: Number(r.created_at), data: Buffer.from(r.data, 'base64') };
  }
}
