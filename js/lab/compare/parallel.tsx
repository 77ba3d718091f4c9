import * as React from 'react';

import type { ICompareData } from '../../plots/compare-data';
import { ParallelCanvas } from '../../plots/parallel-canvas';
import { parallelModel } from '../../plots/parallel-model';
import { readPlotTheme } from '../../plots/theme';

interface IParallelProps {
  data: ICompareData;
  colorMetric: string | null;
  /** Bumped when JupyterLab's theme changes: the colours are read again. */
  themeRevision: number;
  height: number;
  className: string;
  label: string;
  minWidth: number;
}

/** The compared runs' parallel coordinates, painted on a canvas (js/plots/parallel-canvas.ts;
 *  no plotly, so no WebGL context and no wait for plotly to load). Brushing highlights runs;
 *  brushes stay while the colour metric or the theme changes. */
export function ParallelFigure(props: IParallelProps): React.ReactElement {
  const ref = React.useRef<HTMLDivElement>(null);
  const plot = React.useRef<ParallelCanvas | null>(null);
  const drawnData = React.useRef<ICompareData | null>(null);

  React.useEffect(() => {
    const node = ref.current!;
    plot.current = new ParallelCanvas(node);
    // Paint when the width changes, and when a hidden panel is first shown.
    const observer = new ResizeObserver(() => plot.current?.fit());
    observer.observe(node);
    return () => {
      observer.disconnect();
      plot.current?.dispose();
      plot.current = null;
    };
  }, []);

  React.useEffect(() => {
    const node = ref.current;
    if (!node || !plot.current) {
      return;
    }
    const theme = readPlotTheme(node);
    const keep = drawnData.current === props.data;
    drawnData.current = props.data;
    plot.current.update(parallelModel(props.data, props.colorMetric, theme.dark), theme, props.height, keep);
  }, [props.data, props.colorMetric, props.themeRevision, props.height]);

  return (
    <div
      ref={ref}
      className={props.className}
      role="figure"
      aria-label={props.label}
      data-testid="labtrack-compare-parallel"
      style={{ minWidth: `${props.minWidth}px` }}
    />
  );
}
