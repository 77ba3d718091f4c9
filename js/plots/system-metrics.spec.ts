// The System row's charts and headline from MLflow's system metric keys.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { isSystemMetric, systemCharts, systemHeadline } from './system-metrics';

const KEYS = [
  'loss',
  'system/cpu_utilization_percentage',
  'system/system_memory_usage_megabytes',
  'system/system_memory_usage_percentage',
  'system/process_memory_usage_megabytes',
  'system/disk_usage_percentage',
  'system/network_receive_megabytes',
  'system/gpu_1_utilization_percentage',
  'system/gpu_0_utilization_percentage',
  'system/gpu_0_memory_usage_megabytes',
  'system/gpu_0_power_usage_watts'
];

test('system keys are told from the run own metrics', () => {
  assert.equal(isSystemMetric('system/cpu_utilization_percentage'), true);
  assert.equal(isSystemMetric('loss'), false);
  assert.equal(isSystemMetric('val/system/loss'), false);
});

test('the charts group the keys by what they measure, GPUs in index order', () => {
  const charts = systemCharts(KEYS);
  assert.deepEqual(
    charts.map(c => c.id),
    ['cpu', 'memory', 'io', 'gpu-utilization', 'gpu-memory', 'gpu-power']
  );
  assert.deepEqual(
    charts[1].lines.map(l => l.label),
    ['system', 'kernel']
  );
  assert.deepEqual(
    charts[3].lines.map(l => l.key),
    ['system/gpu_0_utilization_percentage', 'system/gpu_1_utilization_percentage']
  );
  assert.deepEqual(systemCharts(['loss']), []);
});

test('the headline shows the latest CPU, memory and GPU figures', () => {
  const latest = new Map<string, number>([
    ['system/cpu_utilization_percentage', 43.4],
    ['system/system_memory_usage_megabytes', 5234],
    ['system/process_memory_usage_megabytes', 812.2],
    ['system/gpu_0_utilization_percentage', 87],
    ['system/gpu_0_memory_usage_megabytes', 10240]
  ]);
  assert.equal(systemHeadline(latest), 'CPU 43% · memory 5.2 GB · kernel 812 MB · GPU 0 87% 10.2 GB');
  assert.equal(systemHeadline(new Map()), '');
});

test('a node id between the prefix and the name is understood', () => {
  const charts = systemCharts(['system/node-a/cpu_utilization_percentage', 'system/node-a/gpu_2_power_usage_watts']);
  assert.deepEqual(
    charts.map(c => [c.id, c.lines[0].label]),
    [
      ['cpu', 'CPU'],
      ['gpu-power', 'GPU 2']
    ]
  );
});
