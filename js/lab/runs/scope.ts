// What the experiment picker can show besides one experiment: every experiment at once, or
// the Trash (runs MLflow soft-deleted, kept until `mlflow gc` purges them). They travel as
// the table's `experimentId` under names no experiment id can have (ids are digits).
import { IRunSearch } from '../tokens';

export const ALL_EXPERIMENTS = '@all';
export const TRASH = '@trash';

/** Whether the picker value is "All experiments" or "Trash" rather than one experiment. */
export function isScope(experimentId: string | null): boolean {
  return experimentId === ALL_EXPERIMENTS || experimentId === TRASH;
}

/** The experiments and lifecycle stage a picker value asks the server for. */
export function searchScope(experimentId: string): Pick<IRunSearch, 'experimentIds' | 'lifecycle'> {
  if (experimentId === TRASH) {
    return { experimentIds: 'all', lifecycle: 'deleted' };
  }
  return { experimentIds: experimentId === ALL_EXPERIMENTS ? 'all' : [experimentId], lifecycle: 'active' };
}

/** The experiments whose keys the column chooser offers. */
export function columnScope(experimentId: string): string[] | 'all' {
  return isScope(experimentId) ? 'all' : [experimentId];
}
