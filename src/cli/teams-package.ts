/**
 * npm run teams:package [out.zip]: the Microsoft Teams app package. Reads teams/manifest.json (a template:
 * {{MICROSOFT_APP_ID}} and {{PUBLIC_HOST}} come from the configuration, MicrosoftAppId and PUBLIC_URL),
 * validates the result against the vendored manifest schema (teams/MicrosoftTeams.schema.json) and the icons'
 * sizes, and writes manifest.json + color.png + outline.png into the zip (default dist/teams-app.zip).
 * `--icons` regenerates the two icons (a small PNG encoder on node:zlib; no image library needed).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import AdmZip from 'adm-zip';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { type Config, loadConfigOrExit } from '../config';

/** teams/ at the project root (from src/cli under ts-node/jest, or from dist/src/cli when built). */
export const TEAMS_DIR =
  [path.join(__dirname, '..', '..', 'teams'), path.join(__dirname, '..', '..', '..', 'teams')].find((d) =>
    fs.existsSync(path.join(d, 'manifest.json')),
  ) ?? path.resolve('teams');

// ---------------------------------------------------------------- PNG

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Encodes RGBA pixels (width*height*4 bytes) as a PNG (8-bit RGBA, no interlace). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Width, height, colour type of a PNG (throws when it is not one). */
export function pngInfo(png: Buffer): { width: number; height: number; colorType: number } {
  if (png.length < 33 || png.toString('latin1', 1, 4) !== 'PNG' || png.toString('ascii', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png[25]! };
}

/** A speech bubble: the app's mark. `inside(x, y)` in unit coordinates (0..1). */
function bubble(x: number, y: number): boolean {
  const inBody = (() => {
    const [l, t, r, b, rad] = [0.14, 0.18, 0.86, 0.7, 0.12];
    const cx = Math.min(Math.max(x, l + rad), r - rad);
    const cy = Math.min(Math.max(y, t + rad), b - rad);
    return x >= l && x <= r && y >= t && y <= b && (x - cx) ** 2 + (y - cy) ** 2 <= rad * rad;
  })();
  // the tail: a triangle under the left part of the bubble
  const inTail = y >= 0.68 && y <= 0.86 && x >= 0.28 && x <= 0.28 + (0.86 - y) * 1.1 && x <= 0.48;
  return inBody || inTail;
}

function dots(x: number, y: number): boolean {
  return [0.34, 0.5, 0.66].some((cx) => (x - cx) ** 2 + (y - 0.44) ** 2 <= 0.055 ** 2);
}

/** 192×192 colour icon: a white speech bubble with three dots on the brand colour. */
export function colorIcon(size = 192): Buffer {
  const px = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let cover = 0;
      let dot = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const u = (x + (sx + 0.5) / samples) / size;
          const v = (y + (sy + 0.5) / samples) / size;
          if (bubble(u, v)) cover++;
          if (dots(u, v)) dot++;
        }
      }
      const n = samples * samples;
      const white = (cover - dot) / n;
      const brand = [0x0f, 0x6c, 0xbd];
      const i = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) px[i + c] = Math.round(brand[c]! * (1 - white) + 255 * white);
      px[i + 3] = 255;
    }
  }
  return encodePng(size, size, px);
}

/** 32×32 outline icon: the bubble's outline in white on a transparent background. */
export function outlineIcon(size = 32): Buffer {
  const px = new Uint8Array(size * size * 4);
  const samples = 4;
  const inset = 1.6 / size;
  const shrunk = (u: number, v: number) =>
    bubble(u, v) && bubble(u - inset, v) && bubble(u + inset, v) && bubble(u, v - inset) && bubble(u, v + inset);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let on = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const u = (x + (sx + 0.5) / samples) / size;
          const v = (y + (sy + 0.5) / samples) / size;
          if ((bubble(u, v) && !shrunk(u, v)) || dots(u, v)) on++;
        }
      }
      const i = (y * size + x) * 4;
      px[i] = px[i + 1] = px[i + 2] = 255;
      px[i + 3] = Math.round((255 * on) / (samples * samples));
    }
  }
  return encodePng(size, size, px);
}

// ---------------------------------------------------------------- manifest

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/**
 * The public host Teams reaches the bot and its privacy and terms pages at: PUBLIC_URL must be set to a real
 * https address (the default http://localhost:PORT would ship a package pointing at the builder's machine).
 */
export function publicHost(publicUrl: string | undefined): string {
  let url: URL | undefined;
  try {
    url = publicUrl ? new URL(publicUrl) : undefined;
  } catch {
    url = undefined;
  }
  const host = url?.hostname.toLowerCase() ?? '';
  const local = host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '0.0.0.0' || /^127(\.\d{1,3}){3}$/.test(host) || host.endsWith('.local');
  if (!url || url.protocol !== 'https:' || local || !host.includes('.')) {
    throw new Error(`PUBLIC_URL must be the bot's public https address (e.g. https://bot.example.com); got "${publicUrl ?? '(unset)'}"`);
  }
  return url.host;
}

/** The manifest template with the configuration filled in. */
export function buildManifest(template: string, config: Pick<Config, 'MicrosoftAppId' | 'publicUrl'>): Record<string, unknown> {
  const appId = config.MicrosoftAppId.trim();
  if (!GUID.test(appId)) throw new Error(`MicrosoftAppId must be the bot's Microsoft app id (a GUID); got "${appId || '(empty)'}"`);
  const host = publicHost(config.publicUrl);
  const filled = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (name === 'MICROSOFT_APP_ID') return appId;
    if (name === 'PUBLIC_HOST') return host;
    throw new Error(`teams/manifest.json: unknown placeholder {{${name}}}`);
  });
  return JSON.parse(filled) as Record<string, unknown>;
}

export interface ValidationResult {
  ok: boolean;
  errors: string[];
}

/** Validates a manifest against the vendored schema, and the icons it names against Teams' rules. */
export function validatePackage(manifest: Record<string, unknown>, files: Map<string, Buffer>, schemaFile = path.join(TEAMS_DIR, 'MicrosoftTeams.schema.json')): ValidationResult {
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  // the schema says draft-04 but uses nothing Ajv's default draft does not read the same way
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const errors: string[] = [];
  if (!validate(manifest)) {
    for (const e of validate.errors ?? []) errors.push(`manifest${e.instancePath || ''}: ${e.message ?? 'invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  }
  const schemaVersion = ((schema.properties as Record<string, { const?: string }>)?.manifestVersion ?? {}).const;
  if (schemaVersion && manifest.manifestVersion !== schemaVersion) errors.push(`manifestVersion must be ${schemaVersion}`);
  const icons = (manifest.icons ?? {}) as { color?: string; outline?: string };
  const check = (name: string | undefined, size: number, what: string, outline: boolean) => {
    if (!name) return;
    const png = files.get(name);
    if (!png) return errors.push(`${what} icon ${name} is missing`);
    try {
      const info = pngInfo(png);
      if (info.width !== size || info.height !== size) errors.push(`${what} icon must be ${size}×${size}, is ${info.width}×${info.height}`);
      if (outline && info.colorType !== 6) errors.push(`${what} icon must have transparency (RGBA)`);
    } catch {
      errors.push(`${what} icon ${name} is not a PNG`);
    }
  };
  check(icons.color, 192, 'colour', false);
  check(icons.outline, 32, 'outline', true);
  return { ok: errors.length === 0, errors };
}

export function buildPackage(config: Pick<Config, 'MicrosoftAppId' | 'publicUrl'>, teamsDir = TEAMS_DIR): { zip: Buffer; manifest: Record<string, unknown> } {
  const manifest = buildManifest(fs.readFileSync(path.join(teamsDir, 'manifest.json'), 'utf8'), config);
  const icons = manifest.icons as { color: string; outline: string };
  const files = new Map<string, Buffer>();
  for (const name of [icons.color, icons.outline]) {
    const file = path.join(teamsDir, name);
    if (fs.existsSync(file)) files.set(name, fs.readFileSync(file));
  }
  const result = validatePackage(manifest, files, path.join(teamsDir, 'MicrosoftTeams.schema.json'));
  if (!result.ok) throw new Error(`the Teams package is not valid:\n  ${result.errors.join('\n  ')}`);
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
  for (const [name, data] of files) zip.addFile(name, data);
  return { zip: zip.toBuffer(), manifest };
}

export function main(argv: string[]): number {
  const args = argv.slice(2);
  if (args.includes('--icons')) {
    fs.writeFileSync(path.join(TEAMS_DIR, 'color.png'), colorIcon());
    fs.writeFileSync(path.join(TEAMS_DIR, 'outline.png'), outlineIcon());
    console.log(`teams:package: icons written to ${TEAMS_DIR}`);
    return 0;
  }
  const out = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join('dist', 'teams-app.zip'));
  try {
    const config = loadConfigOrExit();
    // not the fallback http://localhost:PORT: only what the operator set
    const { zip, manifest } = buildPackage({ MicrosoftAppId: config.MicrosoftAppId, publicUrl: config.PUBLIC_URL ?? '' });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, zip);
    console.log(`teams:package: ${out} (manifest ${String(manifest.manifestVersion)}, app ${String(manifest.id)}) is valid`);
    return 0;
  } catch (err) {
    console.error(`teams:package: ${(err as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv);
}
