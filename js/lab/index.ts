import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { comparePlugin } from './compare-plugin';
import { modelsPlugin } from './models-plugin';
import { runDetailsPlugin } from './run-details-plugin';
import { runsPanelPlugin } from './runs-panel-plugin';
import { servicePlugin } from './service-plugin';
import { staticOutputPlugin } from './static-output-plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [
  servicePlugin,
  runsPanelPlugin,
  runDetailsPlugin,
  comparePlugin,
  modelsPlugin,
  staticOutputPlugin
];

export default plugins;
