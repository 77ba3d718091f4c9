// What waits to be sent to the tracking server, in the words and shapes the Runs panel
// shows: the banner's sentence, the runs pinned above the table, the rows to mark.

import type { IOfflineBacklog, IOfflineRun } from '../tokens';

/** What one run that exists on the server still owes it (from its journals). */
export interface IOwed {
  points: number;
  operations: number;
}

/** Whether anything waits: the banner shows only then (or to show a sync's result). */
export function hasBacklog(backlog: IOfflineBacklog | null): backlog is IOfflineBacklog {
  return (
    backlog !== null &&
    backlog.server !== null &&
    (backlog.unsynced.length > 0 || backlog.journals.length > 0)
  );
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
}

/** "3 runs and 1,200 points wait to be sent to http://…" (or "nothing waits …"). */
export function backlogSentence(backlog: IOfflineBacklog): string {
  const server = backlog.server ?? 'the tracking server';
  const runs = backlog.unsynced.length;
  const points =
    backlog.unsynced.reduce((sum, run) => sum + run.points, 0) +
    backlog.journals.reduce((sum, journal) => sum + journal.points, 0);
  const parts: string[] = [];
  if (runs > 0) {
    parts.push(plural(runs, 'run'));
  }
  if (points > 0) {
    parts.push(plural(points, 'point'));
  }
  if (parts.length === 0) {
    const ended = new Set(backlog.journals.flatMap(journal => journal.run_ids)).size;
    if (ended === 0) {
      return `Nothing waits to be sent to ${server}.`;
    }
    // Only run writes wait (params, tags, artifacts, a run's end): no point.
    return `Writes to ${plural(ended, 'run')} wait to be sent to ${server}.`;
  }
  const single = parts.length === 1 && (runs === 1 || (runs === 0 && points === 1));
  return `${parts.join(' and ')} ${single ? 'waits' : 'wait'} to be sent to ${server}.`;
}

/** The offline runs of one experiment, pinned above its table (newest first). */
export function pinnedRuns(
  backlog: IOfflineBacklog | null,
  experimentName: string | null
): IOfflineRun[] {
  if (!hasBacklog(backlog) || experimentName === null) {
    return [];
  }
  return backlog.unsynced
    .filter(run => run.experiment_name === experimentName)
    .sort((a, b) => (b.start_time ?? 0) - (a.start_time ?? 0));
}

/** Server runs that still owe the server something, by run id. */
export function owedByRun(backlog: IOfflineBacklog | null): ReadonlyMap<string, IOwed> {
  const owed = new Map<string, IOwed>();
  if (!hasBacklog(backlog)) {
    return owed;
  }
  for (const journal of backlog.journals) {
    for (const runId of journal.run_ids) {
      const before = owed.get(runId) ?? { points: 0, operations: 0 };
      // A journal names the runs it holds entries of; with one run all of it is that run's.
      const share = journal.run_ids.length === 1;
      owed.set(runId, {
        points: before.points + (share ? journal.points : 0),
        operations: before.operations + (share ? journal.operations : 0)
      });
    }
  }
  return owed;
}

/** The tooltip of an offline run's mark. */
export function offlineRunTooltip(run: IOfflineRun, server: string): string {
  return (
    `Not synced: ${run.run_name || run.run_id} (${run.status}, ${plural(run.points, 'metric point')}) ` +
    `was tracked while ${server} was unreachable and is kept on this machine. ` +
    'It is not on the server yet, so it has no details to open; "Sync now" sends it.'
  );
}

/** "2 other writes (params, tags, artifacts or its end)": a journal's non-point entries. */
export function otherWrites(count: number): string {
  return `${plural(count, 'other write')} (params, tags, artifacts or its end)`;
}

/** The tooltip of a server run's mark (it exists there, but a journal still waits). */
export function owedTooltip(owed: IOwed, server: string): string {
  const what: string[] = [];
  if (owed.points > 0) {
    what.push(plural(owed.points, 'metric point'));
  }
  if (owed.operations > 0) {
    what.push(otherWrites(owed.operations));
  }
  const owing = what.length ? what.join(' and ') : 'part of its data';
  return (
    `Not synced: ${server} lost the connection while this run was tracked; ${owing} ` +
    'wait on this machine. The details show what the server has; "Sync now" sends the rest.'
  );
}
