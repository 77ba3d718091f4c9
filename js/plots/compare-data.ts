// The plain data the comparison figures are drawn from: the shape of the server's
// `ICompareMatrix` (docs/rest-api.md, `POST compare`), declared here again so the builders
// need nothing from JupyterLab and the anywidget bundle can feed them the same shape.

export interface ICompareRunData {
  run_id: string;
  run_name: string;
}

/** One row per run; each column holds one value per run, in the order of `runs`. */
export interface ICompareData {
  runs: ICompareRunData[];
  params: { key: string; values: (string | null)[] }[];
  metrics: { key: string; values: (number | null)[] }[];
}

/** Run names to show, made unique with a short run id where two runs share a name. */
export function runLabels(runs: readonly ICompareRunData[]): string[] {
  const counts = new Map<string, number>();
  for (const run of runs) {
    counts.set(run.run_name, (counts.get(run.run_name) ?? 0) + 1);
  }
  return runs.map(run => {
    const name = run.run_name || run.run_id.slice(0, 8);
    return (counts.get(run.run_name) ?? 0) > 1 ? `${name} (${run.run_id.slice(0, 6)})` : name;
  });
}

/** Whether the runs' values differ (a missing value differs from any present one). */
export function valuesDiffer(values: readonly (string | number | null)[]): boolean {
  return values.some(value => value !== values[0]);
}
