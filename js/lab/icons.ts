import { LabIcon } from '@jupyterlab/ui-components';

// A small line chart: two axes and a rising, zig-zagging trace. Theme colours come from the
// `jp-icon3` class, so the icon follows light and dark themes.
const RUNS_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24" fill="none">
  <path class="jp-icon3" stroke="#616161" stroke-width="2" stroke-linecap="round" d="M4 3v17h17"/>
  <path class="jp-icon3" stroke="#616161" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="M7.5 15.5l3.5-4.5 3 2.5 5-6"/>
</svg>`;

export const runsIcon = new LabIcon({ name: 'labtrack:runs', svgstr: RUNS_SVG });

// A stack of three boxes: versions of a registered model.
const MODELS_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24" fill="none">
  <path class="jp-icon3" stroke="#616161" stroke-width="2" stroke-linejoin="round" d="M12 3l8 4-8 4-8-4z"/>
  <path class="jp-icon3" stroke="#616161" stroke-width="2" stroke-linejoin="round" d="M4 12l8 4 8-4M4 17l8 4 8-4"/>
</svg>`;

export const modelsIcon = new LabIcon({ name: 'labtrack:models', svgstr: MODELS_SVG });
