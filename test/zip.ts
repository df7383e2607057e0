import zlib from 'node:zlib';

// A small zip writer for hostile test files: an .xlsx whose entries are
// whatever a test says — a sheet of a million rows written as XML in pieces, or an entry
// whose header claims one size while its data inflates to another. Real tools never
// write such files; the import reader must still refuse them quickly.

export interface ZipEntry {
  name: string;
  /** The entry's bytes, in pieces (a large entry need not exist whole in memory). */
  data: Iterable<Buffer>;
  /** The unzipped size its headers claim (its true size unless given). */
  claimedSize?: number;
}

export function zipOf(entries: ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    let size = 0;
    let crc = 0;
    const chunks: Buffer[] = [];
    // Deflated 64 MiB at a time: each run sync-flushed (a raw deflate stream is blocks in a row), the last one final.
    const pieces: Buffer[] = [];
    for (const piece of e.data) {
      size += piece.length;
      crc = zlib.crc32(piece, crc);
      pieces.push(piece);
      if (pieces.reduce((a, p) => a + p.length, 0) > 64 * 1024 * 1024) chunks.push(zlib.deflateRawSync(Buffer.concat(pieces.splice(0)), { finishFlush: zlib.constants.Z_SYNC_FLUSH, level: 1 }));
    }
    chunks.push(zlib.deflateRawSync(Buffer.concat(pieces), { level: 1 }));
    const compressed = Buffer.concat(chunks);
    const claimed = e.claimedSize ?? size;
    const name = Buffer.from(e.name, 'utf8');
    // Little-endian fields in order: [bytes, value].
    const local = fields([[4, 0x04034b50], [2, 20], [2, 0], [2, 8], [4, 0], [4, crc >>> 0], [4, compressed.length], [4, claimed], [2, name.length], [2, 0]]);
    const header = fields([[4, 0x02014b50], [2, 20], [2, 20], [2, 0], [2, 8], [4, 0], [4, crc >>> 0], [4, compressed.length], [4, claimed], [2, name.length], [2, 0], [2, 0], [2, 0], [2, 0], [4, 0], [4, offset]]);
    central.push(header, name);
    parts.push(local, name, compressed);
    offset += local.length + name.length + compressed.length;
  }
  const dir = Buffer.concat(central);
  const end = fields([[4, 0x06054b50], [2, 0], [2, 0], [2, entries.length], [2, entries.length], [4, dir.length], [4, offset], [2, 0]]);
  return Buffer.concat([...parts, dir, end]);
}

function fields(list: [2 | 4, number][]): Buffer {
  const out = Buffer.alloc(list.reduce((a, [n]) => a + n, 0));
  let at = 0;
  for (const [n, v] of list) at = n === 2 ? out.writeUInt16LE(v, at) : out.writeUInt32LE(v, at);
  return out;
}

const text = (s: string) => [Buffer.from(s, 'utf8')];

/** An .xlsx of one sheet whose rows are given as XML pieces (`<row>…</row>`), with extra entries beside (media). */
export function xlsxOf(rows: Iterable<Buffer>, extra: ZipEntry[] = []): Buffer {
  const sheet = function* () {
    yield Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>');
    yield* rows;
    yield Buffer.from('</sheetData></worksheet>');
  };
  return zipOf([
    { name: '[Content_Types].xml', data: text('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>') },
    { name: '_rels/.rels', data: text('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>') },
    { name: 'xl/workbook.xml', data: text('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>') },
    { name: 'xl/_rels/workbook.xml.rels', data: text('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>') },
    { name: 'xl/worksheets/sheet1.xml', data: sheet() },
    ...extra,
  ]);
}

/** Rows `<row>` of inline strings: a header, then `count` leads. */
export function* leadRows(count: number, columns = 2): Generator<Buffer> {
  const cell = (r: number, c: number, v: string) => `<c r="${String.fromCharCode(65 + c)}${r}" t="inlineStr"><is><t>${v}</t></is></c>`;
  yield Buffer.from(`<row r="1">${['Name', 'Phone', 'Email', 'Company'].slice(0, columns).map((h, c) => cell(1, c, h)).join('')}</row>`);
  let batch: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = i + 2;
    batch.push(`<row r="${r}">${cell(r, 0, `Lead ${i}`)}${columns > 1 ? cell(r, 1, `+9198${String(40000000 + i).padStart(8, '0')}`) : ''}</row>`);
    if (batch.length === 10_000) {
      yield Buffer.from(batch.join(''));
      batch = [];
    }
  }
  if (batch.length) yield Buffer.from(batch.join(''));
}

/** `bytes` of zeros in 16 MiB pieces (a media entry that inflates to gigabytes from a few megabytes). */
export function* zeros(bytes: number): Generator<Buffer> {
  const piece = Buffer.alloc(16 * 1024 * 1024);
  for (let left = bytes; left > 0; left -= piece.length) yield left >= piece.length ? piece : piece.subarray(0, left);
}
