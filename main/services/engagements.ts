import { desc } from 'drizzle-orm';
import { z } from 'zod';
import { engagements, leads } from '../../db/schema/index.js';
import { engagementChannels, engagementStatuses, engagementTypes } from '../../db/schema/enums.js';
import { today, type ServiceContext } from '../domain/context.js';
import { validationError } from '../domain/errors.js';
import { count, enumOf, flag, localDate, longText, newRecordId, recordId, text, parsing, parsingFor } from '../domain/validation.js';
import { listByLeadInput, recordsOfLead } from './leads.js';
import { assertIdFree, assertReference, inTransaction, insertRecord, requireRecord, updateRecord } from './records.js';

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

export const createEngagement = parsing(engagementInput, (ctx: ServiceContext, { id, ...engagement }): EngagementRow => {
  return inTransaction(ctx, () => {
    assertReference(ctx, leads, 'lead', engagement.lead_id, 'lead_id');
    assertIdFree(ctx, engagements, id);
    const engagementDate = engagement.engagement_date ?? today(ctx);
    checkResponse(engagementDate, engagement.response_date);
    const received = engagement.response_received ?? Boolean(engagement.response_date);
    return insertRecord(
      ctx,
      engagements,
      { ...engagement, engagement_date: engagementDate, response_received: received, response_date: engagement.response_date ?? (received ? today(ctx) : null) },
      id,
    );
  });
});

export const listEngagements = parsing(listByLeadInput, (ctx: ServiceContext, filters) => {
  return recordsOfLead(ctx, engagements, [desc(engagements.engagement_date), desc(engagements.created_at), desc(engagements.id)], filters);
});

export const responseInput = z.strictObject({
  response_received: flag().optional(),
  response_date: localDate().optional(),
  response_notes: longText().nullish(),
});

export const recordResponse = parsingFor(responseInput, (ctx: ServiceContext, id, response): EngagementRow => {
  return inTransaction(ctx, () => {
    const engagement = requireRecord(ctx, engagements, 'engagement', id);
    const received = response.response_received ?? true;
    const responseDate = received ? (response.response_date ?? today(ctx)) : null;
    checkResponse(engagement.engagement_date, responseDate);
    return updateRecord(ctx, engagements, 'engagement', id, { response_received: received, response_date: responseDate, response_notes: response.response_notes ?? null }, 'record_response');
  });
});
