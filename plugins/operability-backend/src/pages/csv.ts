/**
 * A small RFC 4180 CSV reader: comma-separated fields, double-quoted fields
 * that may hold commas, line breaks and doubled quotes (`""`), CRLF or LF
 * line ends, an optional byte-order mark. Returns the rows with the line
 * each started on (1-based), for messages; blank lines are left out.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let fields: string[] = [];
  let field = '';
  let rowLine = 1;
  let quoted = false;
  let started = false;
  const endRow = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') {
      rows.push({ line: rowLine, fields });
    }
    fields = [];
    field = '';
    started = false;
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (!started) {
      rowLine = line;
      started = true;
    }
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
    } else {
      field += c;
    }
  }
  if (quoted) {
    throw new Error(`line ${rowLine}: a quoted field is not closed`);
  }
  if (started) endRow();
  return rows;
}
