import { USE_LABTRACK_BACKEND } from '../details/code';

/** A Python identifier for the variable the model loads into, e.g. `churn_champion`. */
function variableName(name: string, suffix: string): string {
  const base = `${name}_${suffix}`
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z_]/.test(base) ? base || 'model' : `model_${base}`;
}

/** The `labtrack.load_model` reference: `NAME@ALIAS` or `NAME/VERSION`. */
export function modelReference(name: string, target: { alias?: string; version?: string }): string {
  return target.alias ? `${name}@${target.alias}` : `${name}/${target.version}`;
}

/**
 * Python that loads a registered version into a variable (and predicts nothing). It works
 * whether or not the kernel ran `%load_ext labtrack`: without it, MLflow is first pointed at
 * the backend the extension would use.
 */
export function loadModelCode(name: string, target: { alias?: string; version?: string }): string {
  const reference = modelReference(name, target);
  const what = target.alias ? `the version @${target.alias} points to` : `version ${target.version}`;
  const variable = variableName(name, target.alias ?? `v${target.version}`);
  return [
    `# Model ${JSON.stringify(name).replace(/[\r\n\u2028\u2029]+/g, ' ')}: ${what}`,
    'import labtrack',
    '',
    ...USE_LABTRACK_BACKEND,
    '',
    `${variable} = labtrack.load_model(${JSON.stringify(reference)})`,
    variable
  ].join('\n');
}
