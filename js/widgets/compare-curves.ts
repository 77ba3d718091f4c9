// The comparison widget's curve controls and figure: Group by a param or tag, the band,
// smoothing, the x axis and log y (kept in the `curve_*` traits of
// src/labtrack/widgets/compare_extras.py), and the figure js/plots/curves-figure.ts builds
// from the curves the kernel sent (steps, values and times since each run's start).
import type { AnyModel } from '@anywidget/types';

import type { ICompareData } from '../plots/compare-data';
import { groupRuns, type CurveXAxis } from '../plots/curve-stats';
import { curvesFigure, type BandKind, type IGrouping, type INamedHistory } from '../plots/curves-figure';
import type { IFigure } from '../plots/live-lines';
import type { IPlotTheme } from '../plots/theme';
import { decodeParams, float32s } from './compare-data';
import { node } from './dom';

const HEIGHT = 300;

function select(doc: Document, testid: string, options: [string, string][]): HTMLSelectElement {
  const el = node(doc, 'select', 'lt-w-cmp-select', testid) as HTMLSelectElement;
  el.replaceChildren(
    ...options.map(([value, label]) => {
      const option = doc.createElement('option');
      option.value = value;
      option.textContent = label; // keys are user input: text only
      return option;
    })
  );
  return el;
}

function labelled(doc: Document, text: string, control: HTMLElement): HTMLElement {
  const label = node(doc, 'label', 'lt-w-cmp-control');
  label.append(text, control);
  return label;
}

/** The curves the kernel sent, with wall-clock times rebuilt from each run's `t0`. */
export function curveHistories(model: AnyModel, labelOf: (runId: string) => string): (INamedHistory & { runId: string })[] {
  const values = float32s(model.get('curve_values'));
  const times = float32s(model.get('curve_times'));
  const out: (INamedHistory & { runId: string })[] = [];
  let at = 0;
  let timeAt = 0;
  for (const { run_id, n, t0 } of (model.get('curve_runs') ?? []) as { run_id: string; n: number; t0?: number }[]) {
    const steps = Array.from(values.subarray(at, at + n));
    const ys = Array.from(values.subarray(at + n, at + 2 * n));
    const stamps = Array.from({ length: n }, (_, i) => (t0 ?? 0) + 1000 * (times[timeAt + i] ?? 0));
    out.push({ runId: run_id, name: labelOf(run_id), steps, timestamps: stamps, values: ys });
    at += 2 * n;
    timeAt += n;
  }
  return out;
}

export class CurveControls {
  readonly el: HTMLElement;
  private readonly groupBy: HTMLSelectElement;
  private readonly band: HTMLSelectElement;
  private readonly bandLabel: HTMLElement;
  private readonly smoothing: HTMLInputElement;
  private readonly smoothingValue: HTMLElement;
  private readonly xAxis: HTMLSelectElement;
  private readonly logY: HTMLInputElement;

  constructor(
    private readonly doc: Document,
    private readonly model: AnyModel
  ) {
    this.el = node(doc, 'div', 'lt-w-cmp-curve-controls', 'labtrack-compare-curve-controls');
    this.groupBy = select(doc, 'labtrack-compare-group-by', []);
    this.band = select(doc, 'labtrack-compare-band', [
      ['minmax', 'min – max'],
      ['std', '± std']
    ]);
    this.bandLabel = labelled(doc, 'Band ', this.band);
    this.smoothing = node(doc, 'input', '', 'labtrack-compare-smoothing') as HTMLInputElement;
    Object.assign(this.smoothing, { type: 'range', min: '0', max: '0.99', step: '0.01' });
    this.smoothingValue = node(doc, 'output', 'lt-w-cmp-number');
    this.xAxis = select(doc, 'labtrack-compare-x-axis', [
      ['step', 'step'],
      ['time', 'wall time'],
      ['relative', 'relative time']
    ]);
    this.logY = node(doc, 'input', '', 'labtrack-compare-log-y') as HTMLInputElement;
    this.logY.type = 'checkbox';
    const smoothing = labelled(doc, 'Smoothing ', this.smoothing);
    smoothing.append(this.smoothingValue);
    const log = node(doc, 'label', 'lt-w-cmp-control');
    log.append(this.logY, ' log y');
    this.el.append(
      labelled(doc, 'Group by ', this.groupBy),
      this.bandLabel,
      smoothing,
      labelled(doc, 'x axis ', this.xAxis),
      log
    );
    const save = (name: string, value: unknown): void => {
      this.model.set(name, value);
      this.model.save_changes();
    };
    this.groupBy.addEventListener('change', () => save('curve_group_by', this.groupBy.value || null));
    this.band.addEventListener('change', () => save('curve_band', this.band.value));
    this.smoothing.addEventListener('input', () => save('curve_smoothing', Number(this.smoothing.value)));
    this.xAxis.addEventListener('change', () => save('curve_x_axis', this.xAxis.value));
    this.logY.addEventListener('change', () => save('curve_log_y', this.logY.checked));
  }

  /** Show the traits' choices; `keys` are what the runs can be grouped by. */
  show(keys: string[]): void {
    const chosen = this.model.get('curve_group_by') ?? '';
    const options: [string, string][] = [['', 'no grouping (a line per run)'], ...keys.map(k => [k, k] as [string, string])];
    if (this.groupBy.options.length !== options.length || [...this.groupBy.options].some((o, i) => o.value !== options[i][0])) {
      this.groupBy.replaceChildren(...select(this.doc, '', options).children);
    }
    this.groupBy.value = chosen;
    this.bandLabel.hidden = !chosen;
    this.band.value = this.model.get('curve_band') ?? 'minmax';
    this.smoothing.value = String(this.model.get('curve_smoothing') ?? 0);
    this.smoothingValue.textContent = Number(this.smoothing.value).toFixed(2);
    this.xAxis.value = this.model.get('curve_x_axis') ?? 'step';
    this.logY.checked = !!this.model.get('curve_log_y');
  }

  /** The figure of `metric`'s curves, grouped by the chosen param or tag. */
  figure(data: ICompareData, tags: ICompareData['params'], runs: (INamedHistory & { runId: string })[], metric: string, theme: IPlotTheme): IFigure {
    const groupBy: string | null = this.model.get('curve_group_by') || null;
    let grouping: IGrouping | null = null;
    if (groupBy) {
      const [kind, ...rest] = groupBy.split('.');
      const column = (kind === 'tags' ? tags : data.params).find(c => c.key === rest.join('.'));
      if (column) {
        const index = new Map(data.runs.map((run, i) => [run.run_id, i]));
        grouping = { key: groupBy, groups: groupRuns(runs.map(run => column.values[index.get(run.runId) ?? -1] ?? null)) };
      }
    }
    return curvesFigure(runs, grouping, {
      metric,
      theme,
      height: HEIGHT,
      xAxis: (this.model.get('curve_x_axis') ?? 'step') as CurveXAxis,
      smoothing: Number(this.model.get('curve_smoothing') ?? 0),
      logY: !!this.model.get('curve_log_y'),
      band: (this.model.get('curve_band') ?? 'minmax') as BandKind
    });
  }
}

/** The runs' tags as params-like columns (categories and int32 codes, like the params). */
export function decodeTags(model: AnyModel, runCount: number): ICompareData['params'] {
  return decodeParams(model.get('tag_keys') ?? [], model.get('tag_categories') ?? [], model.get('tag_codes'), runCount);
}

export const CURVE_EVENTS =
  'change:curve_group_by change:curve_band change:curve_smoothing change:curve_x_axis change:curve_log_y change:curve_times';
