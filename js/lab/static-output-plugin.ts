import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';

import { STATIC_RANK, staticOutputFactory } from './static-output/renderer';

/** labtrack's outputs with their static form: the live widget while its model exists, the
 *  saved static form once it does not (see docs/static-outputs.md). */
export const staticOutputPlugin: JupyterFrontEndPlugin<void> = {
  id: 'labtrack:static-output',
  description: 'Shows the static form of labtrack outputs whose widget is gone.',
  autoStart: true,
  requires: [IRenderMimeRegistry],
  activate: (_app: JupyterFrontEnd, rendermime: IRenderMimeRegistry): void => {
    rendermime.addFactory(staticOutputFactory(rendermime), STATIC_RANK);
  }
};
