import { LabIcon } from '@jupyterlab/ui-components';

// A small line chart: two axes and a rising, zig-zagging trace. Theme colours come from the
// `jp-icon3` class, so the icon follows light and dark themes.
const RUNS_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24" fill="none">
  <path class="jp-icon3" stroke="#616161" stroke-width="2" stroke-linecap="round" d="M4 3v17h17"/>
  <path class="jp-icon3" stroke="#616161" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="M7.5 15.5l3.5-4.5 3 2.5 5-6"/>
</svg>`;

export const runsIcon = new LabIcon({ name: 'labtrack:runs', svgstr: RUNS_SVG });
