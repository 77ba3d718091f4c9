import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { refreshIcon } from '@jupyterlab/ui-components';

import { runsIcon } from './icons';
import { addRunCommands } from './runs/commands';
import { RunsPanelModel } from './runs/model';
import { RunsTableModel } from './runs/table-model';
import { RunTreeModel } from './runs/tree-model';
import { RunsPanel } from './runs/view';
import { CommandIDs, ILabtrackService, IRunSelection } from './tokens';

const PLUGIN_ID = 'labtrack:runs-panel';
const TRACK_CELL = /^\s*%%track\b/;
/** Another cell whose end should refresh the table: it may have logged runs. */
const MAY_LOG_RUNS = /\blabtrack\b|\bmlflow\b/;
/** The experiment a `%%track` line names, quoted or not. */
const TRACK_EXPERIMENT = /^\s*%%track\b[^\n]*?(?:--experiment|-e)[ =](?:"([^"]+)"|'([^']+)'|(\S+))/;

/** The "Runs" left sidebar: backend status and a live table of runs; provides the selection. */
export const runsPanelPlugin: JupyterFrontEndPlugin<IRunSelection> = {
  id: PLUGIN_ID,
  description: 'The labtrack Runs sidebar: tracking backend status and tracked runs.',
  autoStart: true,
  requires: [ILabtrackService],
  optional: [ICommandPalette, ILayoutRestorer, ISettingRegistry, INotebookTracker],
  provides: IRunSelection,
  activate: (
    app: JupyterFrontEnd,
    service: ILabtrackService,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null,
    notebooks: INotebookTracker | null
  ): IRunSelection => {
    const { commands } = app;
    const model = new RunsPanelModel({ service });
    const table = new RunsTableModel({ service });
    const tree = new RunTreeModel(service, table);
    const panel = new RunsPanel(model, tree, addRunCommands(app, tree, service));
    app.shell.add(panel, 'left', { rank: 600 });
    restorer?.add(panel, panel.id);

    commands.addCommand(CommandIDs.openRuns, {
      label: 'Open Runs Panel',
      caption: 'Show the labtrack Runs sidebar',
      icon: args => (args.isPalette ? undefined : runsIcon),
      execute: () => app.shell.activateById(panel.id)
    });
    commands.addCommand(CommandIDs.refreshRuns, {
      label: 'Refresh Runs',
      caption: 'Ask the tracking backend for the latest runs now',
      icon: args => (args.isPalette ? undefined : refreshIcon),
      execute: async () => {
        await Promise.all([model.refresh(), table.refresh()]);
      }
    });
    for (const command of [CommandIDs.openRuns, CommandIDs.refreshRuns]) {
      palette?.addItem({ command, category: 'labtrack' });
    }

    if (notebooks) {
      const follow = (): void => table.setNotebookPath(notebooks.currentWidget?.context.path ?? null);
      notebooks.currentChanged.connect(follow);
      notebooks.widgetUpdated.connect(follow); // e.g. renamed

      follow();
      NotebookActions.executionScheduled.connect((_, { cell }) => {
        const source = cell.model.sharedModel.getSource();
        if (cell.model.type === 'code' && TRACK_CELL.test(source)) {
          const named = TRACK_EXPERIMENT.exec(source);
          void table.followTrackedCell(named ? (named[1] ?? named[2] ?? named[3]) : null);
        }
      });
      NotebookActions.executed.connect((_, { cell }) => {
        const source = cell.model.sharedModel.getSource();
        if (cell.model.type !== 'code') {
          return;
        }
        if (TRACK_CELL.test(source)) {
          void table.trackedCellEnded();
        } else if (MAY_LOG_RUNS.test(source)) {
          void table.refreshIfShown();
        }
      });
    }

    if (settingRegistry) {
      const apply = (settings: ISettingRegistry.ISettings): void => {
        const seconds = settings.get('refreshInterval').composite as number;
        model.refreshInterval = seconds;
        table.refreshInterval = seconds;
        table.pageSize = settings.get('pageSize').composite as number;
        table.defaultExperiment = settings.get('defaultExperiment').composite as string;
        table.setDefaultColumns(settings.get('defaultColumns').composite as string[]);
      };
      settingRegistry
        .load(PLUGIN_ID)
        .then(settings => {
          apply(settings);
          settings.changed.connect(apply);
        })
        .catch(reason => {
          console.warn(`labtrack: could not load the settings of ${PLUGIN_ID}`, reason);
        });
    }
    return table;
  }
};
