import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { comparePlugin } from './compare-plugin';
import { runsPanelPlugin } from './runs-panel-plugin';
import { servicePlugin } from './service-plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [servicePlugin, runsPanelPlugin, comparePlugin];

export default plugins;
