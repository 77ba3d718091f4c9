import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';

import { modelsIcon } from './icons';
import { loadModelCode } from './models/load-code';
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
  optional: [ICommandPalette, ILayoutRestorer, INotebookTracker],
  activate: (
    app: JupyterFrontEnd,
    service: ILabtrackService,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    notebooks: INotebookTracker | null
  ): void => {
    const model = new ModelsPanelModel(service);
    const canInsert = (): boolean => !!notebooks?.currentWidget;
    model.canInsert = canInsert();
    notebooks?.currentChanged.connect(() => (model.canInsert = canInsert()));
    const panel = new ModelsPanel(model, {
      openRun: runId => void app.commands.execute(CommandIDs.openRun, { runId }),
      insertLoad: (name, target) =>
        void app.commands.execute(CommandIDs.insertModelCode, { name, ...target })
    });
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
    app.commands.addCommand(CommandIDs.revealModelVersion, {
      label: 'Show Model Version',
      caption: 'Show the Models panel at one model and version',
      execute: args => {
        const name = typeof args.name === 'string' ? args.name : '';
        const version = typeof args.version === 'string' ? args.version : null;
        if (!name) {
          return;
        }
        app.shell.activateById(panel.id);
        return model.reveal(name, version);
      }
    });

    app.commands.addCommand(CommandIDs.insertModelCode, {
      label: 'Insert Code Loading a Registered Model',
      caption: 'Insert a code cell below the active cell that loads the version',
      isEnabled: canInsert,
      execute: args => {
        const panel = notebooks?.currentWidget;
        const name = typeof args.name === 'string' ? args.name : '';
        const alias = typeof args.alias === 'string' ? args.alias : undefined;
        const version = typeof args.version === 'string' ? args.version : undefined;
        if (!panel || !name || !(alias || version)) {
          return;
        }
        const notebook = panel.content;
        // A new cell below the active one (as "Insert code" in run details): never overwrite.
        NotebookActions.insertBelow(notebook);
        if (notebook.activeCell?.model.type !== 'code') {
          NotebookActions.changeCellType(notebook, 'code');
        }
        notebook.activeCell?.model.sharedModel.setSource(loadModelCode(name, { alias, version }));
        app.shell.activateById(panel.id);
        return notebook.activeCell;
      }
    });
  }
};
