import * as React from 'react';

import { messageOf } from '../../common/errors';
import type { IFigure } from '../../plots/live-lines';
import { IPlotTheme, readPlotTheme } from '../../plots/theme';
import { loadPlotly } from '../../widgets/plotly-loader';

// Plotly is imported on first use (its own webpack chunk), so the extension's main chunk stays
// small and JupyterLab starts as fast without the Compare panel as before. The loader shares
// one plotly per page with the inline widgets.

const CONFIG = { displaylogo: false, responsive: false, modeBarButtonsToRemove: ['sendDataToCloud'] };

interface IPlotProps {
  /** Builds the figure from the theme read where the plot is drawn. */
  build: (theme: IPlotTheme) => IFigure;
  /** Draw again when any of these change (the data, the choices, the theme revision). */
  deps: readonly unknown[];
  className: string;
  label: string;
  minWidth?: number;
}

/** A plotly figure drawn into a div, redrawn with `Plotly.react` when `deps` change. */
export function PlotlyFigure(props: IPlotProps): React.ReactElement {
  const ref = React.useRef<HTMLDivElement>(null);
  const [error, setError] = React.useState<string | null>(null);

  React.useEffect(() => {
    const node = ref.current;
    if (!node) {
      return;
    }
    let current = true;
    loadPlotly()
      .then(Plotly => {
        if (!current) {
          return;
        }
        const figure = props.build(readPlotTheme(node));
        return Plotly.react(node, figure.data, figure.layout, CONFIG);
      })
      .then(() => setError(null))
      .catch(reason => {
        // e.g. no WebGL for parcoords: say so where the plot would be.
        setError(messageOf(reason));
      });
    return () => {
      current = false;
    };
  }, props.deps);

  // Free plotly's listeners and WebGL contexts when the plot goes away.
  React.useEffect(() => {
    const node = ref.current;
    return () => {
      if (node) {
        void loadPlotly().then(Plotly => Plotly.purge(node));
      }
    };
  }, []);

  return (
    <>
      <div
        ref={ref}
        className={props.className}
        role="figure"
        aria-label={props.label}
        style={props.minWidth ? { minWidth: `${props.minWidth}px` } : undefined}
      />
      {error && (
        <p className="lt-Compare-error" role="alert">
          Could not draw the plot: {error}
        </p>
      )}
    </>
  );
}

/** Fit every plot under `root` to its container again (after the panel was resized). */
export function resizePlots(root: HTMLElement): void {
  const plots = root.querySelectorAll<HTMLElement>('.js-plotly-plot');
  if (plots.length) {
    void loadPlotly().then(Plotly => plots.forEach(plot => void Plotly.Plots.resize(plot)));
  }
}
