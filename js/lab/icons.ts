import { LabIcon } from '@jupyterlab/ui-components';

// A small line chart: two axes and a rising, zig-zagging trace. Theme colours come from the
// `jp-icon3` class, so the icon follows light and dark themes.
const RUNS_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24">
  <path class="jp-icon3" fill="none" stroke="#616161" stroke-width="2" stroke-linecap="round" d="M3 3v18h18"/>
  <path class="jp-icon3" fill="none" stroke="#616161" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="M6.5 16l4-5 3 3 6.5-8"/>
</svg>`;

export const runsIcon = new LabIcon({ name: 'labtrack:runs', svgstr: RUNS_SVG });
