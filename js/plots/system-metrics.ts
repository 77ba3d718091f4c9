// MLflow's system metrics (`system/…` keys, src/labtrack/tracking/system_metrics.py) as the
// live plot's System row and run details' System section show them: which charts, which
// keys each draws, and the one-line headline (latest CPU, memory and GPU figures). Pure
// functions of the keys and values, so both views draw the same charts.

export const SYSTEM_PREFIX = 'system/';

export function isSystemMetric(key: string): boolean {
  return key.startsWith(SYSTEM_PREFIX);
}

export interface ISystemLine {
  key: string;
  /** Legend label. */
  label: string;
}

export interface ISystemChart {
  id: string;
  title: string;
  lines: ISystemLine[];
}

/** `system/gpu_3_utilization_percentage` → 3 (a node id may sit between: `system/n1/…`). */
function gpuIndex(key: string, figure: string): number | null {
  const match = new RegExp(`(?:^|/)gpu_(\\d+)_${figure}$`).exec(key);
  return match ? Number(match[1]) : null;
}

function named(key: string, name: string): boolean {
  return key.endsWith(`/${name}`);
}

const MACHINE_CHARTS: { id: string; title: string; lines: [string, string][] }[] = [
  { id: 'cpu', title: 'CPU %', lines: [['cpu_utilization_percentage', 'CPU']] },
  {
    id: 'memory',
    title: 'Memory (MB)',
    lines: [
      ['system_memory_usage_megabytes', 'system'],
      ['process_memory_usage_megabytes', 'kernel']
    ]
  },
  {
    id: 'io',
    title: 'Disk and network since start (MB)',
    lines: [
      ['disk_read_megabytes', 'disk read'],
      ['disk_write_megabytes', 'disk write'],
      ['network_receive_megabytes', 'net in'],
      ['network_transmit_megabytes', 'net out']
    ]
  }
];

const GPU_CHARTS: { id: string; title: string; figure: string }[] = [
  { id: 'gpu-utilization', title: 'GPU utilisation %', figure: 'utilization_percentage' },
  { id: 'gpu-memory', title: 'GPU memory (MB)', figure: 'memory_usage_megabytes' },
  { id: 'gpu-power', title: 'GPU power (W)', figure: 'power_usage_watts' }
];

/** The charts the keys fill, in a fixed order; a chart none of whose keys is there is left
 *  out. Other `system/` keys (disk space, percentages) are not charted. */
export function systemCharts(keys: readonly string[]): ISystemChart[] {
  const system = keys.filter(isSystemMetric);
  const charts: ISystemChart[] = [];
  for (const spec of MACHINE_CHARTS) {
    const lines: ISystemLine[] = [];
    for (const [name, label] of spec.lines) {
      for (const key of system.filter(k => named(k, name))) {
        lines.push({ key, label });
      }
    }
    if (lines.length) {
      charts.push({ id: spec.id, title: spec.title, lines });
    }
  }
  for (const spec of GPU_CHARTS) {
    const lines = system
      .map(key => ({ key, index: gpuIndex(key, spec.figure) }))
      .filter((entry): entry is { key: string; index: number } => entry.index !== null)
      .sort((a, b) => a.index - b.index)
      .map(({ key, index }) => ({ key, label: `GPU ${index}` }));
    if (lines.length) {
      charts.push({ id: spec.id, title: spec.title, lines });
    }
  }
  return charts;
}

function megabytes(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} GB` : `${Math.round(value)} MB`;
}

function find(latest: ReadonlyMap<string, number>, name: string): number | undefined {
  for (const [key, value] of latest) {
    if (named(key, name) && Number.isFinite(value)) {
      return value;
    }
  }
  return undefined;
}

/** The System row's header: `CPU 43% · memory 5.2 GB · kernel 812 MB · GPU 0 87% 10.2 GB`;
 *  '' when there is no system figure yet. */
export function systemHeadline(latest: ReadonlyMap<string, number>): string {
  const parts: string[] = [];
  const cpu = find(latest, 'cpu_utilization_percentage');
  if (cpu !== undefined) {
    parts.push(`CPU ${Math.round(cpu)}%`);
  }
  const memory = find(latest, 'system_memory_usage_megabytes');
  if (memory !== undefined) {
    parts.push(`memory ${megabytes(memory)}`);
  }
  const kernel = find(latest, 'process_memory_usage_megabytes');
  if (kernel !== undefined) {
    parts.push(`kernel ${megabytes(kernel)}`);
  }
  const gpus = new Map<number, string[]>();
  for (const [key, value] of latest) {
    const utilization = gpuIndex(key, 'utilization_percentage');
    const used = gpuIndex(key, 'memory_usage_megabytes');
    if (!Number.isFinite(value) || (utilization === null && used === null)) {
      continue;
    }
    const index = (utilization ?? used) as number;
    const figures = gpus.get(index) ?? [];
    figures[utilization !== null ? 0 : 1] = utilization !== null ? `${Math.round(value)}%` : megabytes(value);
    gpus.set(index, figures);
  }
  for (const index of [...gpus.keys()].sort((a, b) => a - b)) {
    parts.push(`GPU ${index} ${gpus.get(index)!.filter(Boolean).join(' ')}`);
  }
  return parts.join(' · ');
}
