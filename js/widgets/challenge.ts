// `%track challenge`: champion and challenger side by side. The metrics table marks the
// better version of each metric, the gate's verdict quotes MLflow's numbers, the plots show
// residuals (regressors) or ROC and PR curves (binary classifiers) of both, and a bar shows
// on how many rows each was the better one. Promote (confirmed first) is offered only when
// the kernel says the gate passed; the kernel checks again before it moves anything.
import type { RenderProps } from '@anywidget/types';

import { curveFigure, ICurve, IResiduals, residualFigure, residualRange, Role, roleColor, ROLES } from '../plots/challenge';
import type { IFigure } from '../plots/live-lines';
import { readPlotTheme } from '../plots/theme';
import { ensureChallengeStyles } from './challenge-styles';
import { node } from './dom';
import { loadPlotly } from './plotly-loader';

interface IMetricRow {
  name: string;
  champion: number | null;
  challenger: number | null;
  greater_is_better: boolean | null;
  winner: 'champion' | 'challenger' | 'tie' | null;
}

interface IView {
  kind: 'regressor' | 'classifier';
  residuals?: Record<Role, IResiduals>;
  roc?: Partial<Record<Role, ICurve>>;
  pr?: Partial<Record<Role, ICurve>>;
  wins: { champion: number; challenger: number; tie: number };
  rows: number;
}

/** Traits of `labtrack.widgets.challenge_view.ChallengeWidget`. */
export interface IChallengeTraits {
  result: {
    model: string;
    champion_version: string;
    challenger_version: string;
    champion_alias: string | null;
    run_id: string;
    model_type: string;
    target: string;
    rows: number;
    metrics: IMetricRow[];
    thresholds: string[];
    failures: string[];
    passed: boolean;
    view: IView;
  };
  promotable: boolean;
  notice: string;
  error: string;
}

const PLOT_HEIGHT = 280;
const CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['sendDataToCloud'] };

function text(doc: Document, tag: string, className: string, value: string, testid?: string): HTMLElement {
  const el = node(doc, tag, className, testid);
  el.textContent = value;
  return el;
}

function number(value: number | null): string {
  if (value === null) {
    return '—';
  }
  return Math.abs(value) >= 1e5 ? value.toExponential(3) : value.toPrecision(4);
}

function metricsTable(doc: Document, result: IChallengeTraits['result']): HTMLElement {
  const table = node(doc, 'table', 'lt-w-chal-table', 'labtrack-challenge-metrics');
  const head = doc.createElement('tr');
  const labels = ['metric', `champion v${result.champion_version}`, `challenger v${result.challenger_version}`, 'change', 'better'];
  for (const label of labels) {
    head.append(text(doc, 'th', '', label));
  }
  table.append(head);
  for (const row of result.metrics) {
    const tr = node(doc, 'tr', '', `labtrack-challenge-metric-${row.name}`);
    const delta = row.champion !== null && row.challenger !== null ? row.challenger - row.champion : null;
    const direction = row.greater_is_better === null ? '' : row.greater_is_better ? ' (higher is better)' : ' (lower is better)';
    const name = text(doc, 'td', '', row.name);
    name.title = `${row.name}${direction}`;
    tr.append(name);
    for (const role of ROLES) {
      const won = row.winner === role;
      const cell = text(doc, 'td', `lt-w-chal-num${won ? ` lt-w-chal-win lt-w-chal-win-${role}` : ''}`, number(row[role]));
      tr.append(cell);
    }
    tr.append(text(doc, 'td', 'lt-w-chal-num', delta === null ? '—' : `${delta >= 0 ? '+' : ''}${number(delta)}`));
    const verdict = row.winner === null ? '' : row.winner === 'tie' ? 'tie' : `${row.winner}`;
    tr.append(text(doc, 'td', row.winner && row.winner !== 'tie' ? `lt-w-chal-win-${row.winner}` : 'lt-w-chal-muted', verdict));
    table.append(tr);
  }
  return table;
}

function winsBar(
  doc: Document,
  result: IChallengeTraits['result'],
  colors: Record<Role, string>,
  even: string
): HTMLElement[] {
  const wins = result.view.wins;
  const total = wins.champion + wins.challenger + wins.tie || 1;
  const closer = result.view.kind === 'regressor' ? 'closer to the truth' : 'the only one right';
  const line = text(
    doc,
    'div',
    'lt-w-chal-muted',
    `Row by row (${result.rows} rows): the challenger was ${closer} on ${wins.challenger}, ` +
      `the champion on ${wins.champion}; ${wins.tie} even.`,
    'labtrack-challenge-wins'
  );
  const bar = node(doc, 'div', 'lt-w-chal-bar');
  for (const [share, color] of [
    [wins.challenger, colors.challenger],
    [wins.tie, even],
    [wins.champion, colors.champion]
  ] as const) {
    const part = doc.createElement('span');
    part.style.width = `${(100 * share) / total}%`;
    part.style.background = color;
    bar.append(part);
  }
  return [line, bar];
}

export function renderChallenge({ model, el }: RenderProps<IChallengeTraits>): () => void {
  ensureChallengeStyles(el);
  const doc = el.ownerDocument;
  const root = node(doc, 'div', 'lt-w-chal', 'labtrack-challenge-widget');
  el.replaceChildren(root);
  let confirming = false;
  let plotted: HTMLElement[] = [];
  let drawing = 0;

  const figures = (result: IChallengeTraits['result']): IFigure[] => {
    const theme = readPlotTheme(root);
    const view = result.view;
    const labels: Record<Role, string> = {
      champion: `champion v${result.champion_version}`,
      challenger: `challenger v${result.challenger_version}`
    };
    if (view.kind === 'regressor' && view.residuals) {
      const range = residualRange(ROLES.map(role => view.residuals![role]));
      return ROLES.map(role =>
        residualFigure(view.residuals![role], { theme, role, title: `Residuals, ${labels[role]}`, height: PLOT_HEIGHT, range })
      );
    }
    if (view.roc && view.pr) {
      return [
        curveFigure(view.roc, { theme, kind: 'roc', labels, height: PLOT_HEIGHT }),
        curveFigure(view.pr, { theme, kind: 'pr', labels, height: PLOT_HEIGHT })
      ];
    }
    return [];
  };

  const plot = async (): Promise<void> => {
    const turn = ++drawing;
    const result = model.get('result');
    const wanted = figures(result);
    if (!wanted.length) {
      return;
    }
    const Plotly = await loadPlotly();
    if (turn !== drawing) {
      return;
    }
    await Promise.all(wanted.map((figure, i) => Plotly.react(plotted[i], figure.data as never, figure.layout as never, CONFIG)));
  };

  const draw = (): void => {
    const result = model.get('result');
    const theme = readPlotTheme(root);
    const colors: Record<Role, string> = { champion: roleColor(theme, 'champion'), challenger: roleColor(theme, 'challenger') };
    root.style.setProperty('--lt-w-plot-0', colors.champion);
    root.style.setProperty('--lt-w-plot-1', colors.challenger);
    const parts: HTMLElement[] = [];
    const header = node(doc, 'div', 'lt-w-chal-header');
    header.append(
      text(doc, 'span', 'lt-w-chal-title', `Challenge of ${result.model}`),
      text(doc, 'span', 'lt-w-chal-role lt-w-chal-role-challenger', `challenger v${result.challenger_version}`),
      text(doc, 'span', 'lt-w-chal-muted', 'against'),
      text(
        doc,
        'span',
        'lt-w-chal-role lt-w-chal-role-champion',
        `champion v${result.champion_version}${result.champion_alias ? ` @${result.champion_alias}` : ''}`
      ),
      text(
        doc,
        'span',
        `lt-w-chal-verdict ${result.passed ? 'lt-w-chal-passed' : 'lt-w-chal-failed'}`,
        result.passed ? 'gate passed' : 'gate failed',
        'labtrack-challenge-verdict'
      )
    );
    parts.push(header);
    parts.push(
      text(doc, 'div', 'lt-w-chal-muted', `${result.model_type} on ${result.rows} rows of ${result.target}; gate: ${result.thresholds.join(', ')}`)
    );
    if (result.failures.length) {
      const list = node(doc, 'ul', 'lt-w-chal-failures', 'labtrack-challenge-failures');
      for (const failure of result.failures) {
        list.append(text(doc, 'li', '', failure));
      }
      parts.push(list);
    }
    parts.push(metricsTable(doc, result), ...winsBar(doc, result, colors, theme.grid));
    const plots = node(doc, 'div', 'lt-w-chal-plots', 'labtrack-challenge-plots');
    plotted = figures(result).map((_, i) => node(doc, 'div', 'lt-w-chal-plot', `labtrack-challenge-plot-${i}`));
    plots.append(...plotted);
    parts.push(plots);

    const actions = node(doc, 'div', 'lt-w-chal-actions');
    const run = text(doc, 'span', 'lt-w-chal-muted', `evaluation run ${result.run_id}`, 'labtrack-challenge-run');
    actions.append(run);
    if (model.get('promotable') && result.champion_alias) {
      const label = `Promote v${result.challenger_version} to @${result.champion_alias}`;
      if (!confirming) {
        const promote = text(doc, 'button', 'lt-w-chal-button', `${label}…`, 'labtrack-challenge-promote');
        promote.addEventListener('click', () => {
          confirming = true;
          draw();
        });
        actions.append(promote);
      } else {
        actions.append(text(doc, 'span', '', `${label}, citing this evaluation run?`));
        const yes = text(doc, 'button', 'lt-w-chal-button', 'Promote', 'labtrack-challenge-promote-yes');
        yes.addEventListener('click', () => {
          confirming = false;
          model.send({ action: 'promote' });
        });
        const no = text(doc, 'button', 'lt-w-chal-button', 'Cancel', 'labtrack-challenge-promote-no');
        no.addEventListener('click', () => {
          confirming = false;
          draw();
        });
        actions.append(yes, no);
      }
    }
    parts.push(actions);
    for (const kind of ['notice', 'error'] as const) {
      const value = model.get(kind);
      if (value) {
        parts.push(text(doc, 'div', `lt-w-chal-${kind}`, value, `labtrack-challenge-${kind}`));
      }
    }
    root.replaceChildren(...parts);
    void plot();
  };

  const names = ['result', 'promotable', 'notice', 'error'] as const;
  for (const name of names) {
    model.on(`change:${name}`, draw);
  }
  const themeObserver = new MutationObserver(() => draw());
  themeObserver.observe(doc.body, { attributes: true, attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light', 'class'] });
  draw();
  return () => {
    for (const name of names) {
      model.off(`change:${name}`, draw);
    }
    themeObserver.disconnect();
    drawing++;
    root.remove();
  };
}
