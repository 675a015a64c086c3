/**
 * A small RFC 4180 CSV reader: comma-separated fields, double-quoted fields
 * that may hold commas, line breaks and doubled quotes (`""`), CRLF or LF
 * line ends, an optional byte-order mark. Returns the rows with the line
 * each started on (1-based), for messages; blank lines are left out.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  return [...csvRows(text)];
}

function countLineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; ) {
    n++;
    i = text.indexOf('\n', i + 1);
  }
  return n;
}

/**
 * The rows of a CSV text one at a time (see {@link parseCsv}). Fields are
 * slices of the text, found with `indexOf`: a large export is read without
 * building strings a character at a time.
 */
export function* csvRows(
  text: string,
): Generator<{ line: number; fields: string[] }> {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const rowLine = line;
    const fields: string[] = [];
    for (;;) {
      let value: string;
      if (text[i] === '"') {
        value = '';
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            throw new Error(`line ${rowLine}: a quoted field is not closed`);
          }
          line += countLineBreaks(text, j, q);
          value += text.slice(j, q);
          if (text[q + 1] === '"') {
            value += '"';
            j = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        // Anything between the closing quote and the delimiter is kept.
        let k = i;
        while (
          k < n &&
          text[k] !== ',' &&
          text[k] !== '\n' &&
          text[k] !== '\r'
        ) {
          k++;
        }
        if (k > i) value += text.slice(i, k);
        i = k;
      } else {
        let k = i;
        while (
          k < n &&
          text[k] !== ',' &&
          text[k] !== '\n' &&
          text[k] !== '\r'
        ) {
          k++;
        }
        value = text.slice(i, k);
        i = k;
      }
      fields.push(value);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      // End of the line (or of the text).
      if (i < n) {
        if (text[i] === '\r' && text[i + 1] === '\n') i++;
        i++;
        line++;
      }
      break;
    }
    if (fields.length > 1 || fields[0] !== '') yield { line: rowLine, fields };
  }
}
