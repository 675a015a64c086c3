/**
 * CSV as RFC 4180 writes it (comma separated, CRLF line ends, fields with a
 * comma, quote or line break quoted, quotes doubled), for the exports.
 */

/**
 * Characters that make a spreadsheet read a cell as a formula (or, for tab
 * and carriage return, hide one): such a cell gets a leading `'`, so that
 * what a catalog author wrote is shown, never run (CSV/formula injection).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: guarded against formula injection, quoted when it must be. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, with its CRLF. */
export function csvRow(cells: Array<string | number | null | undefined>) {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
