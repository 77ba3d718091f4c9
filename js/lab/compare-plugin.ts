import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  IThemeManager,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';

import { compareIcon } from './compare/icon';
import { CompareModel } from './compare/model';
import { CompareView } from './compare/view';
import { CommandIDs, ILabtrackService, IRunSelection } from './tokens';

const PLUGIN_ID = 'labtrack:compare';

/** The main-area Compare panel and the command that opens it. */
export const comparePlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Compare runs side by side: parallel coordinates, metric curves, params diff.',
  autoStart: true,
  requires: [ILabtrackService],
  // The Runs table provides the selection; without it the command needs `runIds`.
  optional: [IRunSelection, ICommandPalette, IThemeManager, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    service: ILabtrackService,
    selection: IRunSelection | null,
    palette: ICommandPalette | null,
    themes: IThemeManager | null,
    restorer: ILayoutRestorer | null
  ): void => {
    const tracker = new WidgetTracker<MainAreaWidget<CompareView>>({
      namespace: 'labtrack-compare'
    });
    let created = 0;

    const runIdsOf = (args: ReadonlyPartialJSONObject): string[] => {
      const given = args.runIds;
      const ids = Array.isArray(given) ? given : selection?.runIds ?? [];
      // Each run once, in the order given.
      return [...new Set(ids.filter((id): id is string => typeof id === 'string' && !!id))];
    };

    app.commands.addCommand(CommandIDs.compareRuns, {
      label: 'Compare Selected Runs',
      caption: 'Compare two or more runs: parallel coordinates, metric curves and params',
      icon: args => (args.isPalette ? undefined : compareIcon),
      isEnabled: args => runIdsOf(args).length >= 2,
      execute: args => {
        const runIds = runIdsOf(args);
        if (runIds.length < 2) {
          return null;
        }
        // The same runs already compared: show that panel again.
        const key = runIds.join(',');
        const open = tracker.find(widget => widget.content.model.runIds.join(',') === key);
        if (open) {
          app.shell.activateById(open.id);
          return open;
        }
        const model = new CompareModel({ service, runIds });
        const content = new CompareView(model);
        const widget = new MainAreaWidget({ content });
        widget.id = `labtrack-compare-${++created}`;
        widget.title.label = `Compare (${runIds.length} runs)`;
        widget.title.caption = `Compare runs ${runIds.join(', ')}`;
        widget.title.icon = compareIcon;
        widget.title.closable = true;
        widget.disposed.connect(() => model.dispose());
        void model.load();
        void tracker.add(widget);
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
        return widget;
      }
    });
    palette?.addItem({ command: CommandIDs.compareRuns, category: 'labtrack' });
    selection?.changed.connect(() => app.commands.notifyCommandChanged(CommandIDs.compareRuns));

    // The plots take their colours from the theme's CSS variables: read them again.
    themes?.themeChanged.connect(() => {
      tracker.forEach(widget => widget.content.model.themeChanged());
    });

    if (restorer) {
      void restorer.restore(tracker, {
        command: CommandIDs.compareRuns,
        args: widget => ({ runIds: [...widget.content.model.runIds] }),
        name: widget => widget.content.model.runIds.join(',')
      });
    }
  }
};
