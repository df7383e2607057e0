import { prepareCached } from '../../../db/statements.js';
import { campaignTypes, sourceTypes } from '../../../db/schema/enums.js';
import type { ServiceContext } from '../../domain/context.js';
import { codeFromName } from './fields.js';

// What an imported row names that lives elsewhere in the tenant — its lead source, its
// campaign, the user it is assigned to — found by id or by name, in any case. What the
// tenant lacks is listed with the rows that name it (a leads export of one branch names
// its own sources and campaigns), for the user to create or leave out.

/** A source the file names that the tenant lacks, as it would be created. */
export interface MissingSource { source_name: string; source_type: string; id: string | null; rows: number }
/** A campaign the file names that the tenant lacks, as it would be created. */
export interface MissingCampaign { campaign_code: string; campaign_name: string; campaign_type: string; id: string | null; rows: number }

export interface Missing {
  sources: MissingSource[];
  campaigns: MissingCampaign[];
  users: { username: string; rows: number }[];
}

type Fail = (field: string, message: string) => void;

/** One row's cells as the references read them (trimmed, absent when empty). */
export type Cell = (field: 'assigned_to' | 'source' | 'source_name' | 'source_type' | 'campaign' | 'campaign_code' | 'campaign_name' | 'campaign_type') => string | undefined;

export class TenantReferences {
  private readonly sourceBy = new Map<string, string>();
  private readonly campaignBy = new Map<string, string>();
  private readonly userBy: Map<string, { username: string; active: number }>;
  private readonly missingSources = new Map<string, MissingSource>();
  private readonly missingCampaigns = new Map<string, MissingCampaign>();
  private readonly unknownUsers = new Map<string, { username: string; rows: number }>();

  constructor(ctx: ServiceContext, private readonly options: { create_missing?: boolean; unassign_unknown?: boolean }) {
    const sources = prepareCached(ctx.db, 'SELECT id, source_name FROM sales_lead_sources WHERE deleted_at IS NULL').all() as { id: string; source_name: string }[];
    const campaigns = prepareCached(ctx.db, 'SELECT id, campaign_code, campaign_name FROM sales_campaigns WHERE deleted_at IS NULL').all() as { id: string; campaign_code: string; campaign_name: string }[];
    for (const s of sources) this.sourceBy.set(s.id, s.id);
    for (const s of sources) if (!this.sourceBy.has(s.source_name.toLowerCase())) this.sourceBy.set(s.source_name.toLowerCase(), s.id);
    for (const c of campaigns) this.campaignBy.set(c.id, c.id);
    for (const c of campaigns) for (const k of [c.campaign_code, c.campaign_name]) if (!this.campaignBy.has(k.toLowerCase())) this.campaignBy.set(k.toLowerCase(), c.id);
    // SPEC §11: a lead is assigned to an active user, named in any case.
    this.userBy = new Map((prepareCached(ctx.db, 'SELECT username, active FROM users WHERE deleted_at IS NULL AND merged_into IS NULL').all() as { username: string; active: number }[])
      .map((u) => [u.username.toLowerCase(), u]));
  }

  /** The active user a row is assigned to; someone else is listed, and the row refused unless such rows are imported unassigned. */
  assignee(cell: Cell, fail: Fail): string | undefined {
    const assignee = cell('assigned_to');
    if (!assignee) return undefined;
    const user = this.userBy.get(assignee.toLowerCase());
    if (user?.active) return user.username;
    this.unknownUsers.set(assignee.toLowerCase(), { username: user?.username ?? assignee, rows: (this.unknownUsers.get(assignee.toLowerCase())?.rows ?? 0) + 1 });
    if (this.options.unassign_unknown) return undefined; // imported unassigned, as asked: a manager assigns it here
    if (user) fail('assigned_to', `${user.username} is deactivated: reactivate them, assign the row to an active user, or import it unassigned`);
    else fail('assigned_to', `no user "${assignee}": add them as a user, leave the column empty, or import such rows unassigned`);
    return undefined;
  }

  /** A source by its id, else its name; one the tenant lacks is listed, and its key given when it is to be created. */
  source(cell: Cell, fail: Fail): { id?: string; create?: string } {
    const ref = cell('source');
    const name = cell('source_name');
    if (!ref && !name) return {};
    const id = [ref, name].map((v) => v && (this.sourceBy.get(v) ?? this.sourceBy.get(v.toLowerCase()))).find(Boolean);
    if (id) return { id };
    // With a name column beside it, the first column is the other branch's id (kept where free); alone, it is the name.
    const sourceName = name ?? ref!;
    const type = cell('source_type')?.toLowerCase() ?? 'other';
    const valid = (sourceTypes as readonly string[]).includes(type);
    let create: string | undefined;
    if (!valid) fail('source_type', `must be one of: ${sourceTypes.join(', ')}`);
    else if (!this.options.create_missing) fail('source', `no lead source named "${sourceName}": create it, or import with “create missing sources and campaigns”`);
    else create = sourceName.toLowerCase();
    // Listed for the user to choose to create; only a valid one is made.
    if (valid || !this.options.create_missing) {
      const missingSource = this.missingSources.get(sourceName.toLowerCase()) ?? { source_name: sourceName, source_type: type, id: name && ref ? ref : null, rows: 0 };
      missingSource.rows += 1;
      this.missingSources.set(sourceName.toLowerCase(), missingSource);
    }
    return { create };
  }

  /** A campaign by its id, code or name; one the tenant lacks is listed, and its key given when it is to be created. */
  campaign(cell: Cell, fail: Fail): { id?: string; create?: string } {
    const ref = cell('campaign');
    const code = cell('campaign_code');
    const name = cell('campaign_name');
    if (!ref && !code && !name) return {};
    const id = [ref, code, name].map((v) => v && (this.campaignBy.get(v) ?? this.campaignBy.get(v.toLowerCase()))).find(Boolean);
    if (id) return { id };
    // With a code or name column beside it, the first column is the other branch's id (kept where free); alone, it is the name.
    const campaignName = name ?? code ?? ref!;
    const type = cell('campaign_type')?.toLowerCase() ?? 'direct';
    const entry = { campaign_code: code ?? codeFromName(campaignName), campaign_name: campaignName, campaign_type: type, id: (code || name) && ref ? ref : null, rows: 0 };
    const valid = (campaignTypes as readonly string[]).includes(type);
    let create: string | undefined;
    if (!valid) fail('campaign_type', `must be one of: ${campaignTypes.join(', ')}`);
    else if (!this.options.create_missing) fail('campaign', `no campaign with the code or name "${code ?? campaignName}": create it, or import with “create missing sources and campaigns”`);
    else create = entry.campaign_code.toLowerCase();
    if (valid || !this.options.create_missing) {
      const missingCampaign = this.missingCampaigns.get(entry.campaign_code.toLowerCase()) ?? { ...entry };
      missingCampaign.rows += 1;
      this.missingCampaigns.set(entry.campaign_code.toLowerCase(), missingCampaign);
    }
    return { create };
  }

  /** What the file named and the tenant lacks, with how many rows name each. */
  missing(): Missing {
    return { sources: [...this.missingSources.values()], campaigns: [...this.missingCampaigns.values()], users: [...this.unknownUsers.values()] };
  }
}
