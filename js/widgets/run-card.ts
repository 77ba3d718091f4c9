import type { RenderProps } from '@anywidget/types';

import { formatDuration, shortRunId } from './format';
import { ensureStyles } from './styles';

export type RunStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

/** Traits of the Python run card widget; keep in step with `src/labtrack/widgets/`. */
export interface IRunCardTraits {
  run_id: string;
  run_name: string;
  experiment_name: string;
  status: RunStatus;
  /** Start of the run, ms since the epoch. */
  start_time_ms: number | null;
  /** End of the run, ms since the epoch; null while it runs. */
  end_time_ms: number | null;
}

const TRAITS: (keyof IRunCardTraits)[] = [
  'run_id',
  'run_name',
  'experiment_name',
  'status',
  'start_time_ms',
  'end_time_ms'
];

function part(doc: Document, tag: string, className: string, testid: string): HTMLElement {
  const node = doc.createElement(tag);
  node.className = className;
  node.dataset.testid = testid;
  return node;
}

function elapsedMs(start: number | null, end: number | null, now: number): number | null {
  if (typeof start !== 'number') {
    return null;
  }
  return (typeof end === 'number' ? end : now) - start;
}

/** A one-line card for an MLflow run: name, short id, experiment, status badge, elapsed time. */
export function renderRunCard({ model, el }: RenderProps<IRunCardTraits>): () => void {
  ensureStyles(el);
  const doc = el.ownerDocument;

  const card = part(doc, 'div', 'lt-w-card', 'labtrack-run-card');
  const name = part(doc, 'div', 'lt-w-card-name', 'labtrack-run-name');
  const badge = part(doc, 'span', 'lt-w-badge', 'labtrack-run-status');
  const meta = part(doc, 'div', 'lt-w-card-meta', 'labtrack-run-meta');
  const id = part(doc, 'span', 'lt-w-card-id', 'labtrack-run-id');
  const experiment = part(doc, 'span', 'lt-w-card-experiment', 'labtrack-run-experiment');
  const elapsed = part(doc, 'span', 'lt-w-card-elapsed', 'labtrack-run-elapsed');
  meta.append(id, doc.createTextNode(' · '), experiment);
  card.append(name, badge, meta, elapsed);
  el.replaceChildren(card);

  let timer: ReturnType<typeof setInterval> | null = null;

  const showElapsed = (): void => {
    const ms = elapsedMs(model.get('start_time_ms'), model.get('end_time_ms'), Date.now());
    elapsed.textContent = ms === null ? '' : formatDuration(ms);
  };

  const update = (): void => {
    const runId = model.get('run_id') ?? '';
    const status = model.get('status') ?? '';
    // textContent only: run names and experiments are user input.
    name.textContent = model.get('run_name') || shortRunId(runId) || 'run';
    id.textContent = shortRunId(runId);
    id.title = runId;
    experiment.textContent = model.get('experiment_name') ?? '';
    badge.textContent = status;
    badge.dataset.status = status;
    card.dataset.status = status;
    showElapsed();
    const ticking = status === 'RUNNING' && typeof model.get('end_time_ms') !== 'number';
    if (ticking && timer === null) {
      timer = setInterval(showElapsed, 1000);
    } else if (!ticking && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };

  const events = TRAITS.map(trait => `change:${trait}`);
  for (const event of events) {
    model.on(event, update);
  }
  update();

  return () => {
    for (const event of events) {
      model.off(event, update);
    }
    if (timer !== null) {
      clearInterval(timer);
    }
    card.remove();
  };
}
