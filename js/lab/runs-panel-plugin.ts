import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { runsIcon } from './icons';
import { RunsPanelModel } from './runs/model';
import { RunsPanel } from './runs/view';
import { CommandIDs, ILabtrackService } from './tokens';

const PLUGIN_ID = 'labtrack:runs-panel';

/** The "Runs" left sidebar and the command that opens it. */
export const runsPanelPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'The labtrack Runs sidebar: tracking backend status and tracked runs.',
  autoStart: true,
  requires: [ILabtrackService],
  optional: [ICommandPalette, ILayoutRestorer, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    service: ILabtrackService,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    const model = new RunsPanelModel({ service });
    const panel = new RunsPanel(model);
    app.shell.add(panel, 'left', { rank: 600 });
    restorer?.add(panel, panel.id);

    app.commands.addCommand(CommandIDs.openRuns, {
      label: 'Open Runs Panel',
      caption: 'Show the labtrack Runs sidebar',
      icon: args => (args.isPalette ? undefined : runsIcon),
      execute: () => app.shell.activateById(panel.id)
    });
    palette?.addItem({ command: CommandIDs.openRuns, category: 'labtrack' });

    if (settingRegistry) {
      const apply = (settings: ISettingRegistry.ISettings): void => {
        model.refreshInterval = settings.get('refreshInterval').composite as number;
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
  }
};
