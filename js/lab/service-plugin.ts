import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';

import { LabtrackService } from './service';
import { ILabtrackService } from './tokens';

/** Provides the typed client of the labtrack server extension, bound to the app's server settings. */
export const servicePlugin: JupyterFrontEndPlugin<ILabtrackService> = {
  id: 'labtrack:service',
  description: 'The typed client of the labtrack server extension.',
  autoStart: true,
  provides: ILabtrackService,
  activate: (app: JupyterFrontEnd): ILabtrackService =>
    new LabtrackService({ serverSettings: app.serviceManager.serverSettings })
};
