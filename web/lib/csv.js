// csv.js — RFC 4180 CSV reading and writing for the batch screening page: quoted fields with
// embedded commas, quotes and line breaks; CRLF or LF; a UTF-8 byte-order mark is dropped.
// Errors name the line.

/** Parses text into {header, rows}; rows are arrays of strings. Throws Error("line N: ..."). */
export function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [];
  let cell = '';
  let i = 0;
  let line = 1;
  let quoted = false;
  let rowLine = 1;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        quoted = false; i += 1;
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r')
          throw new Error(`line ${line}: unexpected character after a closing quote`);
        continue;
      }
      if (c === '\n') line += 1;
      cell += c; i += 1; continue;
    }
    if (c === '"') {
      if (cell !== '') throw new Error(`line ${line}: quote inside an unquoted field`);
      quoted = true; i += 1; continue;
    }
    if (c === ',') { row.push(cell); cell = ''; i += 1; continue; }
    if (c === '\r' || c === '\n') {
      row.push(cell); cell = '';
      if (!(row.length === 1 && row[0] === '')) rows.push({ line: rowLine, cells: row });
      row = [];
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      i += 1; line += 1; rowLine = line;
      continue;
    }
    cell += c; i += 1;
  }
  if (quoted) throw new Error(`line ${rowLine}: unterminated quoted field`);
  if (cell !== '' || row.length) { row.push(cell); rows.push({ line: rowLine, cells: row }); }
  if (!rows.length) throw new Error('line 1: the file is empty (a header line is needed)');
  const header = rows[0].cells.map((x) => x.trim());
  for (const r of rows.slice(1))
    if (r.cells.length !== header.length)
      throw new Error(`line ${r.line}: ${r.cells.length} fields, the header has ${header.length}`);
  return { header, rows: rows.slice(1).map((r) => r.cells), lines: rows.slice(1).map((r) => r.line) };
}

function quote(v) {
  const t = v === null || v === undefined ? '' : String(v);
  // A leading =, +, - or @ would run as a formula in spreadsheet programs: prefix a quote.
  const safe = /^[=+\-@\t\r]/.test(t) ? `'${t}` : t;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Writes a header and rows as CSV text (CRLF line ends). */
export function toCsv(header, rows) {
  return [header, ...rows].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}
