import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';

import { modelsIcon } from './icons';
import { ModelsPanelModel } from './models/model';
import { ModelsPanel } from './models/view';
import { CommandIDs, ILabtrackService } from './tokens';

/** The "Models" left sidebar: the model registry with promote, roll back and approve,
 * through the server's authorised write routes. */
export const modelsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'labtrack:models',
  description: 'The labtrack Models sidebar: registered models, promotion, rollback, approvals.',
  autoStart: true,
  requires: [ILabtrackService],
  optional: [ICommandPalette, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    service: ILabtrackService,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null
  ): void => {
    const model = new ModelsPanelModel(service);
    const panel = new ModelsPanel(model);
    app.shell.add(panel, 'left', { rank: 610 });
    restorer?.add(panel, panel.id);
    app.commands.addCommand(CommandIDs.openModels, {
      label: 'Open Models Panel',
      caption: 'Show the labtrack model registry sidebar',
      icon: args => (args.isPalette ? undefined : modelsIcon),
      execute: () => {
        app.shell.activateById(panel.id);
        return model.refresh();
      }
    });
    palette?.addItem({ command: CommandIDs.openModels, category: 'labtrack' });
  }
};
