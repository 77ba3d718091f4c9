// What a person can do with runs from the Runs panel — delete, restore, tag, copy ids,
// rename, open — as JupyterLab commands: the rows' context menu (right-click, or the
// keyboard's menu key) and the footer's buttons run the same ones. A command acts on the
// runs it is given, else on the right-clicked row (with the other ticked rows when that
// row is ticked), else on the ticked rows.
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, Notification } from '@jupyterlab/apputils';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { messageOf } from '../../common/errors';
import { CommandIDs, ILabtrackService, RUNS_PANEL_ID } from '../tokens';
import { askTag } from './dialogs';
import { TRASH } from './scope';
import { IRunActions } from './selection-bar';
import { RunTreeModel } from './tree-model';

// Server runs only: a run kept offline (pinned above them) is not on the server yet.
const ROW_SELECTOR = '.lt-RunsTable-row[data-run-id]:not(.lt-mod-pinned)';
const OPEN_ROW = 'labtrack:open-run-row';

export function addRunCommands(
  app: JupyterFrontEnd,
  tree: RunTreeModel,
  service: ILabtrackService
): IRunActions {
  const { commands } = app;
  const table = tree.table;
  const inTrash = (): boolean => table.state.experimentId === TRASH;

  const rowTarget = (): string | null =>
    app.contextMenuHitTest(node => node.matches(ROW_SELECTOR))?.dataset.runId ?? null;
  const targets = (args: ReadonlyPartialJSONObject): string[] => {
    if (Array.isArray(args.runIds)) {
      return args.runIds.filter((id): id is string => typeof id === 'string');
    }
    const row = rowTarget();
    if (row !== null) {
      return table.state.selected.has(row) ? table.runIds.slice() : [row];
    }
    return table.runIds.slice();
  };
  /** The runs changed: read the table again and tell other panels (run details) to read
   * them again. When they left the list (`left`), they are unticked and the list is read
   * from its first page: a refresh keeps rows beyond the window it reads. */
  const changed = async (runIds: string[], left = true): Promise<void> => {
    for (const runId of left ? runIds : []) {
      if (table.state.selected.has(runId)) {
        table.toggleSelected(runId);
      }
    }
    await (left ? table.reload() : table.refresh());
    if (commands.hasCommand(CommandIDs.runsChanged)) {
      void commands.execute(CommandIDs.runsChanged, { runIds });
    }
  };
  const plural = (n: number): string => `${n} run${n === 1 ? '' : 's'}`;

  const move = async (runIds: string[], toTrash: boolean, undoable = true): Promise<void> => {
    if (!runIds.length) {
      return;
    }
    try {
      const outcome = await (toTrash ? service.deleteRuns(runIds) : service.restoreRuns(runIds));
      await changed(runIds);
      const verb = toTrash ? 'Moved' : 'Restored';
      const where = toTrash ? 'to the Trash' : 'from the Trash';
      Notification.success(`${verb} ${plural(outcome.changed.length)} ${where}`, {
        autoClose: 6000,
        actions: undoable
          ? [{ label: 'Undo', callback: () => void move(runIds, !toTrash, false) }]
          : []
      });
    } catch (reason) {
      // The server's answer already says "nothing was deleted: <why, per run>".
      const why = messageOf(reason);
      const said = /^nothing was/i.test(why);
      const text = said ? why : `nothing was ${toTrash ? 'deleted' : 'restored'}: ${why}`;
      Notification.error(text.charAt(0).toUpperCase() + text.slice(1));
    }
  };

  commands.addCommand(CommandIDs.deleteRuns, {
    label: args => (Array.isArray(args.runIds) ? `Delete ${plural(args.runIds.length)}` : 'Delete'),
    caption: 'Move the runs to the Trash (MLflow’s soft delete; restore them from the Trash)',
    isVisible: () => !inTrash(),
    execute: args => move(targets(args), true)
  });
  commands.addCommand(CommandIDs.restoreRuns, {
    label: 'Restore',
    caption: 'Bring the runs back from the Trash',
    isVisible: () => inTrash(),
    execute: args => move(targets(args), false)
  });
  commands.addCommand(CommandIDs.tagRuns, {
    label: 'Add Tag…',
    caption: 'Set a tag on the runs',
    isVisible: () => !inTrash(),
    execute: async args => {
      const runIds = targets(args);
      const tag = runIds.length ? await askTag(runIds.length) : null;
      if (!tag) {
        return;
      }
      try {
        await Promise.all(runIds.map(id => service.setRunTag(id, tag.key, tag.value)));
        Notification.success(`Tagged ${plural(runIds.length)} ${tag.key}=${tag.value}`, {
          autoClose: 4000
        });
      } catch (reason) {
        Notification.error(`Could not tag: ${messageOf(reason)}`);
      }
      await changed(runIds, false);
    }
  });
  commands.addCommand(CommandIDs.copyRunIds, {
    label: 'Copy Run ID',
    caption: 'Copy the run ids to the clipboard, one a line',
    execute: args => {
      const runIds = targets(args);
      if (runIds.length) {
        Clipboard.copyToSystem(runIds.join('\n'));
        Notification.info(`Copied ${runIds.length === 1 ? runIds[0] : plural(runIds.length) + ' ids'}`, {
          autoClose: 3000
        });
      }
    }
  });
  commands.addCommand(CommandIDs.renameRun, {
    label: 'Rename',
    caption: 'Rename the run in place (F2 or a double-click on its name)',
    isVisible: () => !inTrash(),
    execute: args => {
      const runId = typeof args.runId === 'string' ? args.runId : rowTarget();
      if (runId) {
        app.shell.activateById(RUNS_PANEL_ID);
        tree.startRename(runId);
      }
    }
  });
  commands.addCommand(OPEN_ROW, {
    label: 'Open Details',
    execute: () => {
      const runId = rowTarget();
      return runId ? commands.execute(CommandIDs.openRun, { runId }) : undefined;
    }
  });

  const menu: [string, number][] = [
    [OPEN_ROW, 0],
    [CommandIDs.renameRun, 1],
    [CommandIDs.compareRuns, 2],
    [CommandIDs.tagRuns, 3],
    [CommandIDs.copyRunIds, 4],
    [CommandIDs.deleteRuns, 5],
    [CommandIDs.restoreRuns, 5]
  ];
  for (const [command, rank] of menu) {
    app.contextMenu.addItem({ command, selector: ROW_SELECTOR, rank: 10 + rank });
  }

  const run = (command: string, runIds: readonly string[]) =>
    void commands.execute(command, { runIds: [...runIds] });
  return {
    openRun: runId => void commands.execute(CommandIDs.openRun, { runId }),
    compare: runIds => run(CommandIDs.compareRuns, runIds),
    canCompare: () => commands.hasCommand(CommandIDs.compareRuns),
    deleteRuns: runIds => run(CommandIDs.deleteRuns, runIds),
    restoreRuns: runIds => run(CommandIDs.restoreRuns, runIds),
    tagRuns: runIds => run(CommandIDs.tagRuns, runIds),
    copyRunIds: runIds => run(CommandIDs.copyRunIds, runIds),
    renameRun: async (runId, name) => {
      try {
        await service.editRun(runId, { name });
        await changed([runId], false);
      } catch (reason) {
        Notification.error(`Could not rename the run: ${messageOf(reason)}`);
      }
    }
  };
}
