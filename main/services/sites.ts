import { z } from 'zod';
import { prepareCached } from '../../db/statements.js';
import { unitInventory } from '../../db/schema/index.js';
import type { ServiceContext } from '../domain/context.js';
import { AppError, validationError } from '../domain/errors.js';
import { distanceMetres } from '../domain/geo.js';
import { text, parsing } from '../domain/validation.js';
import { inTransaction, updateRecord } from './records.js';

// A project's site — its centre and radius, kept on the project's unit
// inventory rows — and the judging of a visit's GPS fix against it.

const latitude = () => z.number({ error: 'must be a number' }).min(-90, { error: 'must be between -90 and 90' }).max(90, { error: 'must be between -90 and 90' });
const longitude = () => z.number({ error: 'must be a number' }).min(-180, { error: 'must be between -180 and 180' }).max(180, { error: 'must be between -180 and 180' });
const radius = () => z.number({ error: 'must be a whole number of metres' }).int({ error: 'must be a whole number of metres' }).min(10, { error: 'must be at least 10 m' }).max(50_000, { error: 'must be at most 50,000 m' });

/** The three site fields, all given or none. */
export const siteFields = {
  site_latitude: latitude().nullish(),
  site_longitude: longitude().nullish(),
  site_radius_m: radius().nullish(),
};

export function checkSiteFields(v: { site_latitude?: number | null; site_longitude?: number | null; site_radius_m?: number | null }) {
  const given = [v.site_latitude, v.site_longitude, v.site_radius_m].filter((x) => x !== null && x !== undefined).length;
  if (given !== 0 && given !== 3) {
    const missing = (['site_latitude', 'site_longitude', 'site_radius_m'] as const).find((k) => v[k] === null || v[k] === undefined)!;
    throw validationError(missing, 'is required with the other site fields (latitude, longitude and radius go together)');
  }
}

export const projectSiteInput = z.strictObject({
  project_name: text(),
  site_latitude: latitude().nullable(),
  site_longitude: longitude().nullable(),
  site_radius_m: radius().nullable(),
});

export interface ProjectSite {
  project_name: string;
  site_latitude: number;
  site_longitude: number;
  site_radius_m: number;
}

// One row per project: its first row (by id) that has a site.
const SITED = 'deleted_at IS NULL AND site_latitude IS NOT NULL AND site_longitude IS NOT NULL AND site_radius_m IS NOT NULL';
const SITES = `
  SELECT i.project_name, i.site_latitude, i.site_longitude, i.site_radius_m FROM sales_unit_inventory i
  WHERE i.id = (SELECT min(j.id) FROM sales_unit_inventory j WHERE j.project_name = i.project_name AND j.${SITED.replace(/ AND /g, ' AND j.')})
  ORDER BY i.project_name`;

/** Every project with a site (one row per project). */
export const projectSites = (ctx: ServiceContext): ProjectSite[] => prepareCached(ctx.db, SITES).all() as ProjectSite[];

/** Set (or clear, with nulls) the site of every unit inventory row of a project. */
export const setProjectSite = parsing(projectSiteInput, (ctx: ServiceContext, site): ProjectSite[] => {
  checkSiteFields(site);
  inTransaction(ctx, () => {
    const ids = prepareCached(ctx.db, 'SELECT id FROM sales_unit_inventory WHERE project_name = ? AND deleted_at IS NULL').all(site.project_name) as { id: string }[];
    if (!ids.length) throw new AppError('not_found', `no unit inventory for project '${site.project_name}'`, [{ field: 'project_name', message: 'has no unit inventory rows' }]);
    for (const { id } of ids) {
      updateRecord(ctx, unitInventory, 'unit inventory', id, {
        site_latitude: site.site_latitude, site_longitude: site.site_longitude, site_radius_m: site.site_radius_m,
      }, 'set_site');
    }
  });
  return projectSites(ctx);
});

export interface VisitJudgement {
  site_project: string | null;
  site_distance_m: number | null;
  /** Outside the radius even allowing for the fix's accuracy; null when there is no fix or no site. */
  off_site: boolean | null;
}

/**
 * Judge a visit's fix against the project named, else the nearest project site. A fix
 * is off site when its distance from the centre exceeds the radius plus the fix's
 * accuracy: a visitor is never flagged for the GPS's own error.
 */
export function judgeVisit(
  ctx: ServiceContext,
  fix: { latitude?: number | null; longitude?: number | null; accuracy_m?: number | null },
  project: string | null | undefined,
): VisitJudgement {
  const sites = projectSites(ctx);
  let candidates = sites;
  if (project) {
    candidates = sites.filter((s) => s.project_name === project);
    if (!candidates.length) throw validationError('site_project', `must be a project with a site set (${sites.map((s) => s.project_name).join(', ') || 'none yet'})`);
  }
  if (fix.latitude === null || fix.latitude === undefined || fix.longitude === null || fix.longitude === undefined) {
    return { site_project: project ?? null, site_distance_m: null, off_site: null };
  }
  const here = { latitude: fix.latitude, longitude: fix.longitude };
  const measured = candidates.map((s) => ({ s, d: distanceMetres(here, { latitude: s.site_latitude, longitude: s.site_longitude }) })).sort((a, b) => a.d - b.d);
  const nearest = measured[0];
  if (!nearest) return { site_project: null, site_distance_m: null, off_site: null };
  return {
    site_project: nearest.s.project_name,
    site_distance_m: Math.round(nearest.d),
    off_site: nearest.d > nearest.s.site_radius_m + (fix.accuracy_m ?? 0),
  };
}
