import { describe, expect, it } from 'vitest';
import { parseInput } from '../../domain/validation.js';
import { refusal } from '../../../test/tenantFixture.js';
import { codeFromName, importInput, localDateFrom, suggestMapping } from './fields.js';

// What an import file's columns may be, and the cell readings that are the import's own.

describe('import fields', () => {
  it('suggests a field for each header a spreadsheet is likely to have, each field once, the rest ignored', () => {
    expect(suggestMapping(['Full Name', 'Mobile No', 'E-mail', 'Lead Source', 'Source Name', 'Campaign Code', 'Assigned To', 'Enquiry Date', 'Remarks', 'Mobile', 'Budget']))
      .toEqual({
        'Full Name': 'name', 'Mobile No': 'ignore', 'E-mail': 'email', 'Lead Source': 'source', 'Source Name': 'source_name', 'Campaign Code': 'campaign_code',
        'Assigned To': 'assigned_to', 'Enquiry Date': 'lead_date', Remarks: 'notes', Mobile: 'phone', Budget: 'ignore',
      });
    // A leads export's own column names map back onto themselves.
    expect(suggestMapping(['id', 'lead_code', 'name', 'phone', 'source_id', 'campaign_id', 'reached_rank'])).toEqual({
      id: 'id', lead_code: 'lead_code', name: 'name', phone: 'phone', source_id: 'source', campaign_id: 'campaign', reached_rank: 'reached_rank',
    });
  });

  it('reads a date as ISO or in the locale\'s order, and nothing that is no day', () => {
    expect(localDateFrom('2026-11-05', false)).toBe('2026-11-05');
    expect(localDateFrom('5/11/2026', false)).toBe('2026-11-05');
    expect(localDateFrom('5/11/2026', true)).toBe('2026-05-11');
    expect(localDateFrom('05.11.2026', false)).toBe('2026-11-05');
    expect(localDateFrom('31/02/2026', false)).toBeNull();
    expect(localDateFrom('next week', false)).toBeNull();
  });

  it('makes a campaign code from a name given alone', () => {
    expect(codeFromName('Diwali expo 2026')).toBe('DIWALI-EXPO-2026');
    expect(codeFromName('  «Monsoon» offer!  ')).toBe('MONSOON-OFFER');
    expect(codeFromName('—')).toBe('IMPORTED');
  });

  it('refuses a mapping onto no field and a decision that is no action, naming them', () => {
    const file = { file_name: 'a.csv', data_base64: 'YQ==' };
    expect(refusal(() => parseInput(importInput, { ...file, mapping: { Mobile: 'mobile' } })).details[0]).toMatchObject({ field: 'mapping.Mobile' });
    expect(refusal(() => parseInput(importInput, { ...file, decisions: { 7: 'drop' } })).details[0]).toEqual({ field: 'decisions.7', message: 'must be skip, merge or keep' });
    expect(refusal(() => parseInput(importInput, { ...file, decisions: { row7: 'skip' } })).details[0]).toMatchObject({ field: 'decisions.row7' });
  });
});
