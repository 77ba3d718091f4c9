// The plain data the comparison figures are drawn from: the shape of the server's
// `ICompareMatrix` (docs/rest-api.md, `POST compare`), declared here again so the builders
// need nothing from JupyterLab and the anywidget bundle can feed them the same shape; and the
// words both comparison views (the Compare panel and the widget) say about it.

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

/** The line above a params table: how many params there are, and how many "Only
 *  differences" hides (those equal in every run). */
export function paramsSummary(total: number, shown: number): string {
  const hidden = total - shown;
  if (total === 0) {
    return 'None of these runs logged params.';
  }
  if (hidden === 0) {
    return `${total} param${total === 1 ? '' : 's'}.`;
  }
  if (shown === 0) {
    return `All ${total} params are the same in every run.`;
  }
  return `${shown} of ${total} params differ; ${hidden} equal in every run ${hidden === 1 ? 'is' : 'are'} hidden.`;
}
