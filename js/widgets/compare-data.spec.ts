// The comparison widget's static export figure (js/widgets/compare-data.ts).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { plainFigure } from './compare-data';

const decode = (spec: { bdata: string }) =>
  new Float32Array(new Uint8Array(Buffer.from(spec.bdata, 'base64')).buffer);

test('the export figure packs per-run arrays as float32 typed-array specs', () => {
  const values = Array.from({ length: 100 }, (_, i) => i / 4);
  const plain = plainFigure({
    data: [{ values, y: [...values.slice(0, 40), null], tickvals: [0, 1] }],
    layout: {}
  });
  const trace = plain.data[0] as any;
  assert.equal(trace.values.dtype, 'f4');
  assert.deepEqual(Array.from(decode(trace.values)), values);
  assert.ok(Number.isNaN(decode(trace.y)[40]));
  assert.deepEqual(trace.tickvals, [0, 1]); // short arrays stay as they are
});
