import { LabIcon } from '@jupyterlab/ui-components';

// Three vertical axes crossed by two lines: parallel coordinates, the panel's main figure.
// `jp-icon3` lets the icon follow the light and dark themes.
const COMPARE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24" fill="none">
  <path class="jp-icon3" stroke="#616161" stroke-width="2" stroke-linecap="round" d="M4 3v18M12 3v18M20 3v18"/>
  <path class="jp-icon3" stroke="#616161" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" d="M4 7l8 9 8-11M4 17l8-10 8 6"/>
</svg>`;

export const compareIcon = new LabIcon({ name: 'labtrack:compare', svgstr: COMPARE_SVG });
