import { IRunDetail } from '../tokens';

/** What the "insert code" command can write for a run. */
export type RunCodeKind = 'metrics' | 'model';

/** A model of the run that `mlflow.pyfunc.load_model` can load, as the URI to give it. */
export interface IRunModelRef {
  uri: string;
  label: string;
}

const MODEL_HISTORY_TAG = 'mlflow.log-model.history';

/** A Python string literal for any text: JSON's escapes are all valid in Python 3. */
function py(text: string): string {
  return JSON.stringify(text);
}

/** One line of a comment, whatever the run name holds. */
function commentSafe(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/**
 * The kernel may not have run `%load_ext labtrack`; then MLflow would read its own default
 * store, not labtrack's. `labtrack.backend.activate(resolve_backend())` points MLflow where the
 * extension would (explicit setting → MLFLOW_TRACKING_URI → embedded store). When the extension
 * is loaded it already chose (perhaps an explicit `--tracking-uri`), so it is left alone.
 */
export const USE_LABTRACK_BACKEND = [
  'if "labtrack" not in get_ipython().extension_manager.loaded:',
  '    from labtrack.backend import activate, resolve_backend',
  '',
  '    activate(resolve_backend())  # the backend `%load_ext labtrack` would use'
];

/** The models of a run: MLflow 3 logged models first, then MLflow 2 `runs:/` artifact paths. */
export function modelsOf(detail: IRunDetail): IRunModelRef[] {
  const models: IRunModelRef[] = detail.logged_models.map(model => ({
    uri: `models:/${model.model_id}`,
    label: model.name || model.model_id
  }));
  const history = detail.tags[MODEL_HISTORY_TAG];
  if (history) {
    try {
      const entries: unknown = JSON.parse(history);
      for (const entry of Array.isArray(entries) ? entries : []) {
        const path = (entry as { artifact_path?: unknown })?.artifact_path;
        const uri = `runs:/${detail.info.run_id}/${String(path)}`;
        if (typeof path === 'string' && path && !models.some(m => m.uri === uri)) {
          models.push({ uri, label: path });
        }
      }
    } catch {
      // A tag written by something else: no models from it.
    }
  }
  return models;
}

/** Python that loads the run's metric histories into a long DataFrame. */
export function metricsCode(detail: IRunDetail): string {
  const { run_id, run_name } = detail.info;
  return [
    `# Metrics of run ${commentSafe(py(run_name))} as a long DataFrame: key, step, value, timestamp`,
    'import pandas as pd',
    'from mlflow import MlflowClient',
    '',
    ...USE_LABTRACK_BACKEND,
    '',
    `run_id = ${py(run_id)}`,
    'client = MlflowClient()',
    'metrics_df = pd.DataFrame(',
    '    [',
    '        {"key": m.key, "step": m.step, "value": m.value, "timestamp": m.timestamp}',
    '        for key in client.get_run(run_id).data.metrics',
    '        for m in client.get_metric_history(run_id, key)',
    '    ],',
    '    columns=["key", "step", "value", "timestamp"],',
    ')',
    'metrics_df'
  ].join('\n');
}

/** Python that loads the run's (first) model with pyfunc; null when the run has none. */
export function modelCode(detail: IRunDetail): string | null {
  const [model] = modelsOf(detail);
  if (!model) {
    return null;
  }
  return [
    `# Model ${commentSafe(py(model.label))} of run ${commentSafe(py(detail.info.run_name))}`,
    'import mlflow',
    '',
    ...USE_LABTRACK_BACKEND,
    '',
    `model = mlflow.pyfunc.load_model(${py(model.uri)})`,
    'model'
  ].join('\n');
}

export function runCode(detail: IRunDetail, what: RunCodeKind): string | null {
  return what === 'model' ? modelCode(detail) : metricsCode(detail);
}
