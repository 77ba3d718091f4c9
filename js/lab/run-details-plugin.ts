import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ISanitizer,
  MainAreaWidget,
  Notification,
  Sanitizer,
  WidgetTracker
} from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { INotebookTracker, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';

import { IRunModelRef, runCode, RunCodeKind } from './details/code';
import { RunDetailsModel } from './details/model';
import { CELL_ID_TAG, contentsLocator } from './details/notebook-link';
import { registerRunModel } from './details/register';
import { RunDetailsPanel } from './details/view';
import { runsIcon } from './icons';
import { CommandIDs, ILabtrackService, IRunDetail } from './tokens';

type RunDetailsWidget = MainAreaWidget<RunDetailsPanel>;

function runIdOf(args: Record<string, unknown>): string {
  const runId = args.runId;
  if (typeof runId !== 'string' || !runId) {
    throw new Error('labtrack: this command needs a runId argument');
  }
  return runId;
}

/** Run details in the main area, and the commands that act on a run from there. */
export const runDetailsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'labtrack:run-details',
  description: 'One run in the main area: params, metrics, tags, artifacts, notebook and code.',
  autoStart: true,
  requires: [ILabtrackService],
  optional: [INotebookTracker, IDocumentManager, ILayoutRestorer, ISanitizer],
  activate: (
    app: JupyterFrontEnd,
    service: ILabtrackService,
    notebooks: INotebookTracker | null,
    docManager: IDocumentManager | null,
    restorer: ILayoutRestorer | null,
    sharedSanitizer: ISanitizer | null
  ): void => {
    const sanitizer = sharedSanitizer ?? new Sanitizer();
    const tracker = new WidgetTracker<RunDetailsWidget>({ namespace: 'labtrack-run' });
    const locateNotebook = contentsLocator(
      app.serviceManager.contents,
      PageConfig.getOption('serverRoot')
    );
    const canInsert = (): boolean => !!notebooks?.currentWidget;
    notebooks?.currentChanged.connect(() => {
      tracker.forEach(widget => {
        widget.content.model.canInsert = canInsert();
      });
    });

    /** The run as an open details panel knows it, else as the server says. */
    const detailOf = async (runId: string): Promise<IRunDetail> =>
      tracker.find(w => w.content.model.runId === runId)?.content.model.state.detail ??
      service.getRun(runId);

    const actions = {
      openRun: (runId: string) => void app.commands.execute(CommandIDs.openRun, { runId }),
      openNotebook: (runId: string) =>
        void app.commands.execute(CommandIDs.openRunNotebook, { runId }),
      insertCode: (runId: string, what: RunCodeKind) =>
        void app.commands.execute(CommandIDs.insertRunCode, { runId, what }),
      registerModel: (runId: string, model: IRunModelRef) =>
        void registerRunModel(service, app.commands, runId, model).then(done => {
          if (done) {
            void tracker.find(w => w.content.model.runId === runId)?.content.model.refresh();
          }
        })
    };
    // A change made here: the Runs table reads its rows again.
    const changed = (): void => {
      if (app.commands.hasCommand(CommandIDs.refreshRuns)) {
        void app.commands.execute(CommandIDs.refreshRuns);
      }
    };

    app.commands.addCommand(CommandIDs.runsChanged, {
      label: 'Read Changed Runs Again',
      execute: args => {
        const runIds = Array.isArray(args.runIds) ? args.runIds : null;
        const shown = tracker.filter(w => !runIds || runIds.includes(w.content.model.runId));
        return Promise.all(shown.map(w => w.content.model.refresh()));
      }
    });

    app.commands.addCommand(CommandIDs.openRun, {
      label: args => (args.runId ? `Open Run ${String(args.runId).slice(0, 8)}` : 'Open Run'),
      caption: "Show a run's params, metrics, tags and artifacts",
      icon: runsIcon,
      execute: async args => {
        const runId = runIdOf(args);
        const open = tracker.find(w => w.content.model.runId === runId);
        if (open) {
          app.shell.activateById(open.id);
          return open;
        }
        const model = new RunDetailsModel({ runId, service, locateNotebook, changed });
        model.canInsert = canInsert();
        const widget: RunDetailsWidget = new MainAreaWidget({
          content: new RunDetailsPanel(model, actions, sanitizer)
        });
        // The panel's own header holds its actions; an empty toolbar would be a blank strip.
        widget.toolbar.hide();
        widget.id = `labtrack-run-${runId}`;
        widget.title.label = `Run ${runId.slice(0, 8)}`;
        widget.title.icon = runsIcon;
        widget.title.closable = true;
        model.stateChanged.connect(() => {
          const name = model.state.detail?.info.run_name;
          widget.title.label = name || `Run ${runId.slice(0, 8)}`;
          widget.title.caption = `Run ${name ?? ''} (${runId})`;
        });
        widget.disposed.connect(() => model.dispose());
        void tracker.add(widget);
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
        await model.start();
        return widget;
      }
    });

    app.commands.addCommand(CommandIDs.openRunNotebook, {
      label: 'Open Notebook at Run Cell',
      caption: 'Open the notebook that produced the run and select its cell',
      execute: async args => {
        const runId = runIdOf(args);
        if (!docManager) {
          throw new Error('labtrack: no document manager to open notebooks with');
        }
        const detail = await detailOf(runId);
        const link = await locateNotebook(detail);
        if (link.phase !== 'found' || !link.path) {
          Notification.warning(link.reason);
          return;
        }
        const widget = docManager.openOrReveal(link.path);
        if (!(widget instanceof NotebookPanel)) {
          return;
        }
        await widget.context.ready;
        const notebook = widget.content;
        const cellId = detail.tags[CELL_ID_TAG];
        const index = cellId ? notebook.widgets.findIndex(cell => cell.model.id === cellId) : -1;
        app.shell.activateById(widget.id);
        if (index < 0) {
          Notification.info(
            cellId
              ? `The cell of this run is no longer in ${link.path}`
              : 'This run does not record its cell'
          );
          return widget;
        }
        notebook.deselectAll();
        notebook.activeCellIndex = index;
        await notebook.scrollToCell(notebook.widgets[index], 'center');
        return widget;
      }
    });

    app.commands.addCommand(CommandIDs.insertRunCode, {
      label: args => (args.what === 'model' ? 'Insert Run Model Code' : 'Insert Run Metrics Code'),
      caption: 'Insert a code cell below the active cell that loads the run',
      isEnabled: canInsert,
      execute: async args => {
        const runId = runIdOf(args);
        const what: RunCodeKind = args.what === 'model' ? 'model' : 'metrics';
        const panel = notebooks?.currentWidget;
        if (!panel) {
          return;
        }
        const code = runCode(await detailOf(runId), what);
        if (code === null) {
          Notification.warning('This run has no logged model');
          return;
        }
        const notebook = panel.content;
        // A new cell below the active one: the user's cells are never overwritten.
        NotebookActions.insertBelow(notebook);
        if (notebook.activeCell?.model.type !== 'code') {
          NotebookActions.changeCellType(notebook, 'code');
        }
        notebook.activeCell?.model.sharedModel.setSource(code);
        app.shell.activateById(panel.id);
        return notebook.activeCell;
      }
    });

    if (restorer) {
      void restorer.restore(tracker, {
        command: CommandIDs.openRun,
        args: widget => ({ runId: widget.content.model.runId }),
        name: widget => widget.content.model.runId
      });
    }
  }
};
