import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/tenantFixture.js';
import fc from 'fast-check';
import { csvFormatFor, guardFormula, toCsv, unguardFormula, writeCsvFile } from './csvWriter.js';

const BOM = '\uFEFF';

describe('CSV (SPEC §6)', () => {
  it('starts with a BOM and a header, ends records with CRLF and quotes per RFC 4180', () => {
    const csv = toCsv(
      [{ name: 'Rao, Kabir', note: 'said "yes"\nthen left', amount: 1234.5 }],
      { columns: ['name', 'note', 'amount'], money: ['amount'] },
    );
    expect(csv).toBe(`${BOM}name,note,amount\r\n"Rao, Kabir","said ""yes""\nthen left",1234.50\r\n`);
    expect(parse(csv, { bom: true, columns: true })).toEqual([{ name: 'Rao, Kabir', note: 'said "yes"\nthen left', amount: '1234.50' }]);
  });

  it('undoes the guard exactly on import: any text comes back as typed, an apostrophe before a formula included (issue 17)', () => {
    // A text typed as '=1+1 is guarded as ''=1+1, and comes back as '=1+1 — not =1+1.
    expect(guardFormula("'=1+1")).toBe("''=1+1");
    expect(unguardFormula(guardFormula("'=1+1"))).toBe("'=1+1");
    expect(unguardFormula("'Kabir")).toBe("'Kabir");
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '1', '.', 'a', ' ') }), (x) => unguardFormula(guardFormula(x)) === x), { numRuns: 5000 });
    fc.assert(fc.property(fc.string(), (x) => unguardFormula(guardFormula(x)) === x));
  });

  it('guards cells that a spreadsheet would run as formulas, but leaves plain numbers alone', () => {
    expect(guardFormula('=1+1')).toBe("'=1+1");
    expect(guardFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(guardFormula('-2+3')).toBe("'-2+3");
    expect(guardFormula('+91 98450 00000')).toBe("'+91 98450 00000");
    expect(guardFormula('\tcmd')).toBe("'\tcmd");
    expect(guardFormula('\rcmd')).toBe("'\rcmd");
    expect(guardFormula('-42.50')).toBe('-42.50');
    expect(guardFormula('+7')).toBe('+7');
    expect(guardFormula('Kabir')).toBe('Kabir');
    const csv = toCsv([{ a: '=HYPERLINK("http://x")', b: -42.5, c: '-42.50' }], { columns: ['a', 'b', 'c'], money: ['b'] });
    expect(csv.split('\r\n')[1]).toBe(`"'=HYPERLINK(""http://x"")",-42.50,-42.50`);
  });

  it('writes empty cells for null, true/false for booleans and dates as they are', () => {
    const csv = toCsv([{ d: '2025-11-25', n: null, f: true, u: undefined }], { columns: ['d', 'n', 'f', 'u'] });
    expect(csv).toBe(`${BOM}d,n,f,u\r\n2025-11-25,,true,\r\n`);
  });

  it('writes a file only when complete: a failing row source leaves no file behind', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.csv');
    function* failing() {
      yield { a: 1 };
      throw new Error('disk gone');
    }
    await expect(writeCsvFile(file, failing(), { columns: ['a'] })).rejects.toThrow('disk gone');
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(await writeCsvFile(file, [{ a: 1 }, { a: 2 }], { columns: ['a'] })).toBe(2);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${BOM}a\r\n1\r\n2\r\n`);
  });

  it('follows the locale: ; and decimal commas where the decimal separator is a comma', () => {
    for (const locale of ['de-DE', 'fr-FR', 'pt-BR', 'es-ES', 'ru-RU']) expect(csvFormatFor(locale), locale).toEqual({ delimiter: ';', decimal: ',' });
    for (const locale of ['en-IN', 'en-US', 'en-GB', 'hi-IN', 'ja-JP']) expect(csvFormatFor(locale), locale).toEqual({ delimiter: ',', decimal: '.' });
    expect(csvFormatFor('de-DE', ',')).toEqual({ delimiter: ',', decimal: '.' });
    expect(csvFormatFor('en-IN', ';')).toEqual({ delimiter: ';', decimal: '.' });
    const csv = toCsv([{ name: 'Müller; Söhne', amount: -1234.5, share: 0.25, n: 3 }], { columns: ['name', 'amount', 'share', 'n'], money: ['amount'] }, { format: csvFormatFor('de-DE') });
    expect(csv).toBe(`${BOM}name;amount;share;n\r\n"Müller; Söhne";-1234,50;0,25;3\r\n`);
  });

  it('puts a details line before the header as one unquoted cell, whatever its text holds', () => {
    const csv = toCsv([{ a: 1 }], { columns: ['a'] }, { comment: 'Export: "x", y\r\nz; w', format: csvFormatFor('de-DE') });
    expect(csv).toBe(`${BOM}# Export:  x , y  z  w\r\na\r\n1\r\n`);
    expect(parse(csv, { bom: true, delimiter: ';', comment: '#', columns: true })).toEqual([{ a: '1' }]);
  });

  it('streams the details line and the format to a file too', async () => {
    const file = path.join(tempDir(), 'out.csv');
    await writeCsvFile(file, [{ a: 1.5, b: 'x;y' }], { columns: ['a', 'b'] }, undefined, { comment: 'made today', format: csvFormatFor('fr-FR') });
    expect(fs.readFileSync(file, 'utf8')).toBe(`${BOM}# made today\r\na;b\r\n1,5;"x;y"\r\n`);
  });
});
