import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { runsPanelPlugin } from './runs-panel-plugin';
import { servicePlugin } from './service-plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [servicePlugin, runsPanelPlugin];

export default plugins;
