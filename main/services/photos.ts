import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { prepareCached } from '../../db/statements.js';
import { milestonePhotos, milestones } from '../../db/schema/index.js';
import type { photoTypes } from '../../db/schema/enums.js';
import type { ServiceContext } from '../domain/context.js';
import { writeWhole } from '../files.js';
import { AppError, validationError } from '../domain/errors.js';
import { recordId, text, parsing } from '../domain/validation.js';
import { MAX_PHOTO_BYTES, MAX_PHOTOS } from '../domain/photoLimits.js';
import { insertRecord, requireRecord } from './records.js';

// Photos taken or picked at a visit. Each arrives as base64 in the operation's
// input (the same over IPC and HTTP), is checked to be what it claims — a JPEG, PNG or
// WebP by its own bytes, which an image decoder then reads — and is stored in the
// tenant's folder under a name Milepost makes (photos/<milestone>/<photo id>.<jpg|png|webp>),
// never the sender's, with a JPEG thumbnail beside it. Nothing stored is executable.

const MAX_PIXELS = 50_000_000;
const THUMB_EDGE = 320;

type PhotoType = (typeof photoTypes)[number];
const EXT: Record<PhotoType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
const SHARP_FORMAT: Record<PhotoType, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };

export const photoUpload = z.strictObject({
  file_name: text(255),
  /** The image's bytes in base64 (a `data:image/…;base64,` prefix is allowed). */
  data_base64: z.string({ error: 'must be the image in base64' }).max(Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 64, { error: 'must be at most 10 MB' }),
});
export const photoUploads = z.array(photoUpload, { error: 'must be a list of photos' }).max(MAX_PHOTOS, { error: `must be at most ${MAX_PHOTOS} photos` });

export interface PreparedPhoto {
  original_name: string;
  content_type: PhotoType;
  bytes: Buffer;
  thumbnail: Buffer;
  width: number;
  height: number;
  sha256: string;
}

/** The type an image's first bytes declare, or null. */
function sniff(b: Buffer): PhotoType | null {
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length > 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Check and decode uploads, making each one's thumbnail; refuses the first bad one, naming it. */
export async function preparePhotos(uploads: z.output<typeof photoUploads>, field = 'photos'): Promise<PreparedPhoto[]> {
  const out: PreparedPhoto[] = [];
  for (const [i, u] of uploads.entries()) {
    const at = `${field}.${i}`;
    const data = u.data_base64.replace(/^data:[\w/+.-]+;base64,/, '').replace(/\s+/g, '');
    if (!BASE64.test(data) || data.length % 4 !== 0) throw validationError(`${at}.data_base64`, 'must be the image in base64');
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length === 0) throw validationError(`${at}.data_base64`, 'is an empty file');
    if (bytes.length > MAX_PHOTO_BYTES) throw validationError(`${at}.data_base64`, `must be at most 10 MB (this one is ${(bytes.length / 1048576).toFixed(1)} MB)`);
    const type = sniff(bytes);
    if (!type) throw validationError(`${at}.data_base64`, 'must be a JPEG, PNG or WebP image');
    let meta: sharp.Metadata;
    let thumbnail: Buffer;
    try {
      const image = sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' });
      meta = await image.metadata();
      if (meta.format !== SHARP_FORMAT[type]) throw new Error('format mismatch');
      // Turned upright by its EXIF orientation; the thumbnail carries no metadata.
      thumbnail = await image.clone().rotate().resize(THUMB_EDGE, THUMB_EDGE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 78 }).toBuffer();
    } catch {
      throw validationError(`${at}.data_base64`, `is not a readable ${type.slice(6).toUpperCase()} image (or is larger than 50 megapixels)`);
    }
    const upright = (meta.orientation ?? 1) >= 5;
    out.push({
      original_name: u.file_name,
      content_type: type,
      bytes,
      thumbnail,
      width: (upright ? meta.height : meta.width) ?? 0,
      height: (upright ? meta.width : meta.height) ?? 0,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  return out;
}

type PhotoRow = typeof milestonePhotos.$inferSelect;

const photosRoot = (ctx: ServiceContext) => {
  if (!ctx.files) throw new AppError('bad_request', 'this tenant has no folder for photos', [{ field: 'photos', message: 'cannot be stored here' }]);
  return path.join(ctx.files, 'photos');
};

/** Where a photo's file (or its thumbnail) lives; always inside the tenant's photo folder. */
function photoPath(ctx: ServiceContext, p: Pick<PhotoRow, 'id' | 'milestone_id' | 'content_type'>, variant: 'original' | 'thumbnail'): string {
  const root = photosRoot(ctx);
  const file = path.resolve(root, p.milestone_id, variant === 'thumbnail' ? `${p.id}.thumb.jpg` : `${p.id}.${EXT[p.content_type]}`);
  if (!file.startsWith(root + path.sep)) throw new AppError('bad_request', 'photo path outside the photo folder', [{ field: 'id', message: 'is not a photo id' }]);
  return file;
}

/**
 * Store prepared photos for a milestone, in the caller's transaction: a row each, and
 * its files. The files written are pushed onto `written` so the caller can remove them
 * when the transaction fails.
 */
export function storePhotos(ctx: ServiceContext, milestoneId: string, prepared: PreparedPhoto[], written: string[]): PhotoRow[] {
  return prepared.map((p) => {
    const row = insertRecord(ctx, milestonePhotos, {
      milestone_id: milestoneId, original_name: p.original_name, content_type: p.content_type, size_bytes: p.bytes.length,
      width: p.width, height: p.height, sha256: p.sha256,
    });
    for (const [variant, bytes] of [['original', p.bytes], ['thumbnail', p.thumbnail]] as const) {
      const file = photoPath(ctx, row, variant);
      written.push(file);
      writeWhole(file, bytes, { private: true });
    }
    return row;
  });
}

/** Run a transaction that stores photos; when it fails, the files it wrote go too. */
export function withPhotoFiles<T>(work: (written: string[]) => T): T {
  const written: string[] = [];
  try {
    return work(written);
  } catch (err) {
    for (const f of written) fs.rmSync(f, { force: true });
    throw err;
  }
}

const PHOTOS_OF = `SELECT id, milestone_id, original_name, content_type, size_bytes, width, height, sha256, created_at
  FROM sales_milestone_photos WHERE milestone_id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL ORDER BY created_at, id`;

export type PhotoInfo = Omit<PhotoRow, 'updated_at' | 'created_by' | 'deleted_at'>;
export const photoInfo = ({ updated_at: _u, created_by: _c, deleted_at: _d, ...info }: PhotoRow): PhotoInfo => info;

/** The photos of each milestone given, by milestone id. */
export function photosOf(ctx: ServiceContext, milestoneIds: string[]): Map<string, PhotoInfo[]> {
  const byMilestone = new Map<string, PhotoInfo[]>();
  if (!milestoneIds.length) return byMilestone;
  for (const p of prepareCached(ctx.db, PHOTOS_OF).all(JSON.stringify(milestoneIds)) as PhotoInfo[]) {
    byMilestone.set(p.milestone_id, [...(byMilestone.get(p.milestone_id) ?? []), p]);
  }
  return byMilestone;
}

export const addPhotosInput = z.strictObject({ milestone_id: recordId(), photos: photoUploads.min(1, { error: 'must hold at least one photo' }) });

/** Add photos to a milestone already recorded. */
export const addPhotos = parsing(addPhotosInput, async (ctx: ServiceContext, upload): Promise<PhotoInfo[]> => {
  requireRecord(ctx, milestones, 'milestone', upload.milestone_id);
  const prepared = await preparePhotos(upload.photos);
  return withPhotoFiles((written) => ctx.db.transaction(() => {
    requireRecord(ctx, milestones, 'milestone', upload.milestone_id);
    return storePhotos(ctx, upload.milestone_id, prepared, written);
  })()).map(photoInfo);
});

export const photoInput = z.strictObject({
  id: recordId(),
  variant: z.enum(['thumbnail', 'original'], { error: 'must be thumbnail or original' }).optional(),
});

/** A photo (or its thumbnail) as a data URL the screens can show. */
export const readPhoto = parsing(photoInput, (ctx: ServiceContext, wanted) => {
  const row = requireRecord(ctx, milestonePhotos, 'photo', wanted.id);
  const variant = wanted.variant ?? 'thumbnail';
  const file = photoPath(ctx, row, variant);
  if (!fs.existsSync(file)) {
    throw new AppError('not_found', `the file of photo '${row.id}' is not on this device (photos stay on the device that took them)`, [{ field: 'id', message: 'file not on this device' }]);
  }
  const type = variant === 'thumbnail' ? 'image/jpeg' : row.content_type;
  return { id: row.id, variant, content_type: type, data_url: `data:${type};base64,${fs.readFileSync(file).toString('base64')}` };
});
