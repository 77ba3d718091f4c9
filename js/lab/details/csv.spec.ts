// CSV/TSV previews (csv.ts): quoted fields, the header, numeric columns, the row limit.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { delimiterOf, parseDelimited } from './csv';

test('quoted fields keep their commas, quotes and line breaks', () => {
  const table = parseDelimited('name,note\r\n"a, b","say ""hi""\nthere"\r\nc,plain\r\n', ',');
  assert.deepEqual(table.header, ['name', 'note']);
  assert.deepEqual(table.rows, [
    ['a, b', 'say "hi"\nthere'],
    ['c', 'plain']
  ]);
  assert.equal(table.truncated, false);
});

test('columns of numbers are numeric; a text value or an empty column is not', () => {
  const table = parseDelimited('x\ty\tlabel\tempty\n1\t-2.5e-3\tcat\t\n2\tnan\t3\t\n', delimiterOf('a.tsv'));
  assert.deepEqual(table.numeric, [true, true, false, false]);
});

test('at most a thousand rows are kept, and the cut is said', () => {
  const lines = ['i', ...Array.from({ length: 1500 }, (_, i) => String(i))].join('\n');
  const table = parseDelimited(lines, ',');
  assert.equal(table.rows.length, 1000);
  assert.deepEqual(table.rows[999], ['999']);
  assert.equal(table.truncated, true);
});

test('a file read only in part drops its last, possibly cut, line', () => {
  const table = parseDelimited('a,b\n1,2\n3,4', ',', false);
  assert.deepEqual(table.rows, [['1', '2']]);
  assert.equal(table.truncated, true);
});
