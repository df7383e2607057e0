import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceMetres, pointAt } from '../domain/geo.js';
import { unitInventoryService } from './catalog.js';
import { leadService } from './leads.js';
import { createMilestone, createMilestoneWithPhotos, listMilestones } from './milestones.js';
import { addPhotos, readPhoto } from './photos.js';
import { runReport } from './reports.js';
import { projectSites, setProjectSite } from './sites.js';
import { makeTenant, refusal, snapshot } from '../../test/tenantFixture.js';

// "site visits that prove themselves": the fix's accuracy and time, the site
// it is judged against, off-site flags with the distance, photos kept in the tenant's
// folder with thumbnails, and the visits-per-staff report.

const GREEN = { latitude: 12.935, longitude: 77.535 };
const LAKE = { latitude: 12.99, longitude: 77.6 };
let t: ReturnType<typeof makeTenant>;
let jpeg: string;

beforeAll(async () => {
  t = makeTenant();
  unitInventoryService.create(t.ctx, { project_name: 'Green Meadows', unit_type: '2BHK', total_units: 10 });
  unitInventoryService.create(t.ctx, { project_name: 'Green Meadows', unit_type: '3BHK', total_units: 5 });
  unitInventoryService.create(t.ctx, { project_name: 'Lakeview Towers', unit_type: '1BHK', total_units: 8, site_latitude: LAKE.latitude, site_longitude: LAKE.longitude, site_radius_m: 300 });
  setProjectSite(t.ctx, { project_name: 'Green Meadows', site_latitude: GREEN.latitude, site_longitude: GREEN.longitude, site_radius_m: 500 });
  for (const id of ['L1', 'L2', 'L3']) leadService.create(t.ctx, { id, name: `Lead ${id}`, lead_date: '2025-11-01' });
  jpeg = (await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#4a7' } }).jpeg().toBuffer()).toString('base64');
});
afterAll(() => t.close());

const visit = (extra: Record<string, unknown>) => ({ lead_id: 'L1', milestone_type: 'site_visit', milestone_date: '2025-11-10', milestone_time: '11:00', ...extra });

describe('site visits (issue 8)', () => {
  it('keeps a project site on every inventory row of the project', () => {
    expect(projectSites(t.ctx)).toEqual([
      { project_name: 'Green Meadows', site_latitude: 12.935, site_longitude: 77.535, site_radius_m: 500 },
      { project_name: 'Lakeview Towers', site_latitude: 12.99, site_longitude: 77.6, site_radius_m: 300 },
    ]);
    const rows = unitInventoryService.list(t.ctx, { project_name: 'Green Meadows' }).items;
    expect(rows.map((r) => r.site_radius_m)).toEqual([500, 500]);
  });

  it('flags a visit 2.3 km from a 500 m site as off site, with that distance', () => {
    const there = pointAt(GREEN, 2300, 45);
    expect(Math.round(distanceMetres(GREEN, there))).toBe(2300);
    const m = createMilestone(t.ctx, visit({
      location_latitude: there.latitude, location_longitude: there.longitude, location_accuracy_m: 12, location_fixed_at: '2025-11-10T05:29:40Z',
      site_project: 'Green Meadows', visited_by: 'asha', outcome: 'neutral',
    }));
    expect(m).toMatchObject({ site_project: 'Green Meadows', site_distance_m: 2300, off_site: true, location_accuracy_m: 12, location_fixed_at: '2025-11-10T05:29:40Z' });
  });

  it('does not flag a fix inside the radius, or one whose accuracy could put it inside', () => {
    const inside = pointAt(GREEN, 420, 180);
    expect(createMilestone(t.ctx, visit({ location_latitude: inside.latitude, location_longitude: inside.longitude, location_accuracy_m: 8, visited_by: 'asha' })))
      .toMatchObject({ site_project: 'Green Meadows', site_distance_m: 420, off_site: false });
    // 560 m out with a fix good to ±80 m: it may be inside, so it is not flagged.
    const edge = pointAt(GREEN, 560, 90);
    expect(createMilestone(t.ctx, visit({ lead_id: 'L2', location_latitude: edge.latitude, location_longitude: edge.longitude, location_accuracy_m: 80, visited_by: 'rahul' })))
      .toMatchObject({ site_distance_m: 560, off_site: false });
    // The same place with a ±20 m fix is off site.
    expect(createMilestone(t.ctx, visit({ lead_id: 'L2', milestone_type: 'revisit', location_latitude: edge.latitude, location_longitude: edge.longitude, location_accuracy_m: 20, visited_by: 'rahul' })))
      .toMatchObject({ site_distance_m: 560, off_site: true });
  });

  it('judges a visit without a named project against the nearest site', () => {
    const nearLake = pointAt(LAKE, 150, 300);
    expect(createMilestone(t.ctx, visit({ lead_id: 'L3', location_latitude: nearLake.latitude, location_longitude: nearLake.longitude, visited_by: 'rahul' })))
      .toMatchObject({ site_project: 'Lakeview Towers', site_distance_m: 150, off_site: false });
  });

  it('cannot judge a visit without a fix, and leaves other milestones unjudged', () => {
    expect(createMilestone(t.ctx, visit({ lead_id: 'L3', visited_by: 'priya' }))).toMatchObject({ site_distance_m: null, off_site: null });
    const far = pointAt(GREEN, 5000, 0);
    expect(createMilestone(t.ctx, { lead_id: 'L3', milestone_type: 'demo', milestone_date: '2025-11-11', location_latitude: far.latitude, location_longitude: far.longitude }))
      .toMatchObject({ site_distance_m: null, off_site: null });
  });

  it('refuses half a location, an unknown project or a negative accuracy, changing nothing', () => {
    const before = snapshot(t.ctx);
    expect(refusal(() => createMilestone(t.ctx, visit({ location_latitude: 12.9 }))).details[0]!.field).toBe('location_longitude');
    expect(refusal(() => createMilestone(t.ctx, visit({ site_project: 'Nowhere', location_latitude: 12.9, location_longitude: 77.5 }))).details[0]!.field).toBe('site_project');
    expect(refusal(() => createMilestone(t.ctx, visit({ location_accuracy_m: -1 }))).details[0]!.field).toBe('location_accuracy_m');
    expect(refusal(() => unitInventoryService.create(t.ctx, { unit_type: 'Villa', total_units: 1, site_latitude: 12.9 })).details[0]!.field).toBe('site_longitude');
    expect(snapshot(t.ctx)).toEqual(before);
    expect(createMilestone(t.ctx, visit({ outcome: 'positive', follow_up_date: '2025-11-14', visited_by: 'asha' }))).toMatchObject({ follow_up_required: true });
  });

  it('stores photos in the tenant folder with thumbnails, and lists them with the milestone', async () => {
    const m = await createMilestoneWithPhotos(t.ctx, visit({ lead_id: 'L3', milestone_date: '2025-11-12', visited_by: 'priya', photos: [{ file_name: 'Sample flat.jpg', data_base64: jpeg }] }));
    expect(m.photos).toHaveLength(1);
    const photo = m.photos[0]!;
    expect(photo).toMatchObject({ original_name: 'Sample flat.jpg', content_type: 'image/jpeg', width: 1600, height: 1200, size_bytes: Buffer.from(jpeg, 'base64').length });
    const folder = path.join(t.ctx.files!, 'photos', m.id);
    expect(fs.readdirSync(folder).sort()).toEqual([`${photo.id}.jpg`, `${photo.id}.thumb.jpg`]);
    expect(fs.statSync(path.join(folder, `${photo.id}.jpg`)).mode & 0o777).toBe(0o600);
    const thumb = readPhoto(t.ctx, { id: photo.id });
    const meta = await sharp(Buffer.from(thumb.data_url.split(',')[1]!, 'base64')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 320, 240]);
    expect(readPhoto(t.ctx, { id: photo.id, variant: 'original' }).data_url).toBe(`data:image/jpeg;base64,${jpeg}`);
    const listed = listMilestones(t.ctx, { lead_id: 'L3' }).items.find((x) => x.id === m.id)!;
    expect(listed.photos.map((p) => p.id)).toEqual([photo.id]);
    const more = await addPhotos(t.ctx, { milestone_id: m.id, photos: [{ file_name: 'second.jpg', data_base64: jpeg }] });
    expect(listMilestones(t.ctx, { lead_id: 'L3' }).items.find((x) => x.id === m.id)!.photos.map((p) => p.id)).toEqual([photo.id, more[0]!.id]);
  });

  it('refuses what is not a photo — an executable named .jpg, a broken PNG, an oversized file — storing nothing', async () => {
    const before = snapshot(t.ctx);
    const files = () => fs.readdirSync(path.join(t.ctx.files!, 'photos'), { recursive: true }).length;
    const stored = files();
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(200)]).toString('base64');
    const brokenPng = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 7)]).toString('base64');
    const huge = Buffer.alloc(10 * 1024 * 1024 + 1, 0xff).toString('base64');
    const refused = async (data_base64: string) => {
      try {
        await createMilestoneWithPhotos(t.ctx, visit({ photos: [{ file_name: 'a.jpg', data_base64: jpeg }, { file_name: 'photo.jpg', data_base64 }] }));
      } catch (e) {
        return (e as { details: { field: string; message: string }[] }).details[0]!;
      }
      throw new Error('accepted');
    };
    expect(await refused(exe)).toEqual({ field: 'photos.1.data_base64', message: 'must be a JPEG, PNG or WebP image' });
    expect((await refused(brokenPng)).message).toMatch(/^is not a readable PNG image/);
    expect((await refused(huge)).message).toMatch(/must be at most 10 MB/);
    expect(await refused('not base64!')).toEqual({ field: 'photos.1.data_base64', message: 'must be the image in base64' });
    // A good photo on a milestone that fails afterwards (no such lead) leaves no file behind.
    await expect(createMilestoneWithPhotos(t.ctx, visit({ lead_id: 'nope', photos: [{ file_name: 'a.jpg', data_base64: jpeg }] }))).rejects.toMatchObject({ message: "lead 'nope' not found" });
    expect(files()).toBe(stored);
    expect(snapshot(t.ctx)).toEqual(before);
  });

  it('reports visits per staff member with the off-site share', () => {
    const rows = runReport(t.ctx, 'site-visits', { from: '2025-11-01', to: '2025-11-30' });
    expect(rows).toEqual([
      { visited_by: 'asha', visits: 3, located: 2, judged: 2, off_site: 1, off_site_share: 50, mean_accuracy_m: 10, positive: 1 },
      { visited_by: 'rahul', visits: 3, located: 3, judged: 3, off_site: 1, off_site_share: 33.33, mean_accuracy_m: 50, positive: 0 },
      { visited_by: 'priya', visits: 2, located: 0, judged: 0, off_site: 0, off_site_share: 0, mean_accuracy_m: null, positive: 0 },
    ]);
  });
});

describe('visit photos in backups (nothing lost on a restore)', () => {
  it('a backup carries the photos; restoring it brings them back and sets the current ones aside', async () => {
    const { backupTenant, restoreTenant } = await import('../backup.js');
    const b = makeTenant();
    try {
      leadService.create(b.ctx, { id: 'L1', name: 'Lead L1', lead_date: '2025-11-01' });
      const m = await createMilestoneWithPhotos(b.ctx, visit({ visited_by: 'asha', photos: [{ file_name: 'flat.jpg', data_base64: jpeg }] }));
      const photo = m.photos[0]!;
      const file = path.join(b.dataDir, 'before.sqlite');
      expect(backupTenant(b.manager, 't1', file)).toEqual({ files: 2 }); // the original and its thumbnail

      // After the backup: another photo, and the first one's file lost from disk.
      const later = await addPhotos(b.ctx, { milestone_id: m.id, photos: [{ file_name: 'later.jpg', data_base64: jpeg }] });
      fs.rmSync(path.join(b.ctx.files!, 'photos', m.id, `${photo.id}.jpg`));

      const r = restoreTenant(b.manager, 't1', file);
      const ctx = b.manager.context('t1', null);
      expect(readPhoto(ctx, { id: photo.id, variant: 'original' }).data_url).toBe(`data:image/jpeg;base64,${jpeg}`);
      expect(fs.readdirSync(path.join(ctx.files!, 'photos', m.id)).sort()).toEqual([`${photo.id}.jpg`, `${photo.id}.thumb.jpg`]);
      expect(listMilestones(ctx, { lead_id: 'L1' }).items[0]!.photos.map((p) => p.id)).toEqual([photo.id]);
      // The files of the moment before the restore are kept, the later photo with them.
      expect(fs.readdirSync(path.join(r.files_safety_copy!, 'photos', m.id))).toContain(`${later[0]!.id}.jpg`);
      // The packed files never reach the live database.
      expect(ctx.db.prepare("SELECT name FROM sqlite_master WHERE name = 'milepost_backup_files'").get()).toBeUndefined();
    } finally {
      b.close();
    }
  });

  it('refuses a backup whose files would land outside the tenant folder, changing nothing', async () => {
    const { backupTenant, restoreTenant } = await import('../backup.js');
    const Database = (await import('better-sqlite3')).default;
    const b = makeTenant();
    try {
      leadService.create(b.ctx, { id: 'L1', name: 'Lead L1', lead_date: '2025-11-01' });
      const file = path.join(b.dataDir, 'tampered.sqlite');
      backupTenant(b.manager, 't1', file);
      const db = new Database(file);
      db.prepare('INSERT INTO milepost_backup_files (path, bytes) VALUES (?, ?)').run('../../escaped.txt', Buffer.from('x'));
      db.close();
      leadService.create(b.ctx, { id: 'L2', name: 'Lead L2', lead_date: '2025-11-02' });
      const before = snapshot(b.ctx);
      expect(() => restoreTenant(b.manager, 't1', file)).toThrow('holds a file outside the tenant\'s folder: ../../escaped.txt');
      expect(fs.existsSync(path.join(b.dataDir, 'escaped.txt'))).toBe(false);
      expect(snapshot(b.manager.context('t1', null))).toEqual(before);
    } finally {
      b.close();
    }
  });
});
