import { z } from 'zod';
import { engagements, leads } from '../../db/schema/index.js';
import { engagementChannels, engagementStatuses, engagementTypes } from '../../db/schema/enums.js';
import { today, type ServiceContext } from '../domain/context.js';
import { validationError } from '../domain/errors.js';
import { count, enumOf, flag, localDate, longText, parseInput, newRecordId, recordId, text } from '../domain/validation.js';
import { recordsOfLead } from './leads.js';
import { assertIdFree, assertReference, inTransaction, insertRecord, requireRecord, updateRecord, withBooleans } from './records.js';

// A lead's engagements (SPEC §3): calls, emails, messages and meetings, and the response
// each got.

type EngagementRow = typeof engagements.$inferSelect;

export const engagementInput = z.strictObject({
  id: newRecordId().optional(),
  lead_id: recordId(),
  engagement_type: enumOf(engagementTypes),
  engagement_channel: enumOf(engagementChannels),
  engagement_date: localDate().optional(),
  subject: text(500).nullish(),
  notes: longText().nullish(),
  status: enumOf(engagementStatuses).optional(),
  response_received: flag().optional(),
  response_date: localDate().nullish(),
  response_notes: longText().nullish(),
  duration_seconds: count(0).nullish(),
});

function checkResponse(engagementDate: string, responseDate: string | null | undefined) {
  if (responseDate && responseDate < engagementDate) throw validationError('response_date', 'must be on or after engagement_date');
}

export function createEngagement(ctx: ServiceContext, input: unknown): EngagementRow {
  const { id, ...e } = parseInput(engagementInput, input);
  return inTransaction(ctx, () => {
    assertReference(ctx, leads, 'lead', e.lead_id, 'lead_id');
    assertIdFree(ctx, engagements, id);
    const engagementDate = e.engagement_date ?? today(ctx);
    checkResponse(engagementDate, e.response_date);
    const received = e.response_received ?? Boolean(e.response_date);
    return insertRecord<EngagementRow>(
      ctx,
      engagements,
      { ...e, engagement_date: engagementDate, response_received: received, response_date: e.response_date ?? (received ? today(ctx) : null) },
      id,
    );
  });
}

export function listEngagements(ctx: ServiceContext, input: unknown) {
  const page = recordsOfLead<EngagementRow>(ctx, 'sales_lead_engagement', 'engagement_date DESC, created_at DESC, id DESC', input);
  return { ...page, items: page.items.map((r) => withBooleans(r, ['response_received'])) };
}

export const responseInput = z.strictObject({
  response_received: flag().optional(),
  response_date: localDate().optional(),
  response_notes: longText().nullish(),
});

export function recordResponse(ctx: ServiceContext, id: string, input: unknown): EngagementRow {
  const r = parseInput(responseInput, input);
  return inTransaction(ctx, () => {
    const e = requireRecord<EngagementRow>(ctx, engagements, 'engagement', id);
    const received = r.response_received ?? true;
    const responseDate = received ? (r.response_date ?? today(ctx)) : null;
    checkResponse(e.engagement_date, responseDate);
    return updateRecord<EngagementRow>(ctx, engagements, 'engagement', id, { response_received: received, response_date: responseDate, response_notes: r.response_notes ?? null }, 'record_response');
  });
}
