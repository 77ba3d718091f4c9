// The run tree: child runs (MLflow's `mlflow.parentRunId`) nested under their parent, in the
// order the server sorted them, so sorting and filtering keep the tree. The table's pages are
// flat; this turns the rows loaded so far (and the children fetched when a parent was
// expanded) into the rows a person sees. A child whose parent is not among them (filtered
// out, or on a page not loaded yet) stays at the top level, marked as a child.
import { IRunFamily, IRunRow } from '../tokens';

export const PARENT_TAG = 'mlflow.parentRunId';

/** One row as shown: where it sits in the tree and what its children are. */
export interface ITreeRow {
  row: IRunRow;
  depth: number;
  /** Active children (all of them, whether loaded or not, when the server counted them). */
  children: number;
  /** How many of the children have each status (FINISHED, FAILED, RUNNING…). */
  statuses: Readonly<Record<string, number>>;
  expanded: boolean;
  /** Its children are being fetched. */
  loading: boolean;
  /** The run has a parent that is not shown above it. */
  orphan: boolean;
}

export interface ITreeInput {
  /** The table's rows, in the server's order. */
  rows: readonly IRunRow[];
  /** Child counts from the server, by parent run id. */
  families: ReadonlyMap<string, IRunFamily>;
  expanded: ReadonlySet<string>;
  /** Children fetched when a parent was expanded, in the server's order. */
  children: ReadonlyMap<string, readonly IRunRow[]>;
  loading: ReadonlySet<string>;
}

export function parentOf(row: IRunRow): string | null {
  const parent = row.tags[PARENT_TAG];
  return parent && parent !== row.run_id ? parent : null;
}

/** The rows in display order: top-level runs, each followed by its children when expanded. */
export function treeRows(input: ITreeInput): ITreeRow[] {
  const known = new Map<string, IRunRow>();
  for (const list of input.children.values()) {
    for (const row of list) {
      known.set(row.run_id, row);
    }
  }
  for (const row of input.rows) {
    known.set(row.run_id, row); // the table's own copy is the freshest
  }
  const kids = new Map<string, string[]>();
  const add = (parent: string, id: string): void => {
    const list = kids.get(parent) ?? [];
    if (!list.includes(id)) {
      list.push(id);
      kids.set(parent, list);
    }
  };
  for (const [parent, list] of input.children) {
    list.forEach(row => add(parent, row.run_id));
  }
  for (const row of input.rows) {
    const parent = parentOf(row);
    if (parent && known.has(parent)) {
      add(parent, row.run_id);
    }
  }
  const shown: ITreeRow[] = [];
  const emit = (row: IRunRow, depth: number, path: ReadonlySet<string>): void => {
    const id = row.run_id;
    const mine = (kids.get(id) ?? []).filter(kid => !path.has(kid));
    const family = input.families.get(id);
    const expanded = input.expanded.has(id);
    shown.push({
      row: known.get(id) ?? row,
      depth,
      children: Math.max(family?.children ?? 0, mine.length),
      statuses: family && family.children >= mine.length ? family.statuses : countStatuses(mine, known),
      expanded,
      loading: input.loading.has(id),
      orphan: depth === 0 && parentOf(row) !== null
    });
    if (expanded) {
      const inner = new Set(path).add(id);
      mine.forEach(kid => emit(known.get(kid)!, depth + 1, inner));
    }
  };
  for (const row of input.rows) {
    const parent = parentOf(row);
    // A cycle of parents (the store is untrusted) must not hide every run in it.
    if (!parent || !known.has(parent) || inCycle(row, known)) {
      emit(row, 0, new Set([row.run_id]));
    }
  }
  return shown;
}

function countStatuses(ids: string[], known: ReadonlyMap<string, IRunRow>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of ids) {
    const status = known.get(id)?.status ?? 'UNKNOWN';
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

function inCycle(row: IRunRow, known: ReadonlyMap<string, IRunRow>): boolean {
  const seen = new Set<string>([row.run_id]);
  let parent = parentOf(row);
  while (parent && known.has(parent)) {
    if (seen.has(parent)) {
      return true;
    }
    seen.add(parent);
    parent = parentOf(known.get(parent)!);
  }
  return false;
}

/** "3 children: 2 FINISHED, 1 FAILED" — the parent's tooltip. */
export function familySummary(children: number, statuses: Readonly<Record<string, number>>): string {
  const parts = Object.entries(statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${count} ${status}`);
  const noun = children === 1 ? 'child run' : 'child runs';
  return parts.length ? `${children} ${noun}: ${parts.join(', ')}` : `${children} ${noun}`;
}
