// CSV and TSV artifacts as a table: RFC 4180 fields (quotes, doubled quotes, line breaks
// inside quotes, CRLF), the first row as the header, at most a thousand rows, and which
// columns hold numbers (those are right-aligned).

export const MAX_TABLE_ROWS = 1000;

export interface IDelimitedTable {
  header: string[];
  rows: string[][];
  /** Per column: every non-empty value is a number (and one at least is there). */
  numeric: boolean[];
  /** More rows follow (in the file, or beyond the bytes read) than are shown. */
  truncated: boolean;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(nan|inf|infinity)$/i;

/** `text` split into rows of fields. `complete`: the text is the whole file (otherwise its
 * last, possibly cut, line is dropped). */
export function parseDelimited(
  text: string,
  delimiter: string,
  complete = true,
  maxRows = MAX_TABLE_ROWS
): IDelimitedTable {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let truncated = !complete;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is not data
  const endRecord = (): boolean => {
    record.push(field);
    field = '';
    if (record.length > 1 || record[0] !== '') {
      records.push(record);
    }
    record = [];
    return records.length > maxRows; // the header and maxRows rows are enough
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') {
        i++;
      }
      if (endRecord()) {
        truncated = true;
        break;
      }
    } else {
      field += c;
    }
  }
  if (i >= text.length && (field !== '' || record.length) && complete) {
    endRecord();
  }
  const [header = [], ...rest] = records;
  const rows = rest.slice(0, maxRows);
  truncated = truncated || rest.length > maxRows;
  const width = Math.max(header.length, ...rows.map(r => r.length));
  const numeric = Array.from({ length: width }, (_, column) => {
    const values = rows.map(r => (r[column] ?? '').trim()).filter(Boolean);
    return values.length > 0 && values.every(v => NUMBER.test(v));
  });
  return { header, rows, numeric, truncated };
}

/** The delimiter a file's name implies. */
export function delimiterOf(name: string): string {
  return /\.tsv$/i.test(name) ? '\t' : ',';
}
