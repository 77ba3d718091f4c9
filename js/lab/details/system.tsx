import * as React from 'react';

import { messageOf } from '../../common/errors';
import { liveLinesFigure, type ILineSeries } from '../../plots/live-lines';
import { isSystemMetric, systemCharts, systemHeadline } from '../../plots/system-metrics';
import { PlotlyFigure } from '../compare/plot';
import type { ILabtrackService, IMetricSeries, IRunDetail } from '../tokens';
import { Section } from './sections';

const POINTS = 500;
const HEIGHT = 170;

/** The run's details without MLflow's system metrics (they have a section of their own). */
export function withoutSystemMetrics(detail: IRunDetail): IRunDetail {
  const metrics = Object.fromEntries(Object.entries(detail.metrics).filter(([k]) => !isSystemMetric(k)));
  return { ...detail, metrics };
}

/** The histories of the run's system keys, read again when their latest values change. */
function useSystemHistories(
  service: ILabtrackService,
  detail: IRunDetail
): [Record<string, IMetricSeries>, string | null] {
  const keys = Object.keys(detail.metrics).filter(isSystemMetric).sort();
  const latest = JSON.stringify(keys.map(key => detail.metrics[key]));
  const [histories, setHistories] = React.useState<Record<string, IMetricSeries>>({});
  const [error, setError] = React.useState<string | null>(null);
  React.useEffect(() => {
    let current = true;
    const charted = new Set(systemCharts(keys).flatMap(chart => chart.lines.map(l => l.key)));
    Promise.all(
      [...charted].map(key =>
        service.getMetricHistory(detail.info.run_id, key, { maxPoints: POINTS }).then(s => [key, s] as const)
      )
    )
      .then(pairs => current && (setHistories(Object.fromEntries(pairs)), setError(null)))
      .catch(reason => current && setError(messageOf(reason)));
    return () => {
      current = false;
    };
  }, [detail.info.run_id, latest]);
  return [histories, error];
}

/** MLflow's system metrics of the run (CPU, memory, disk and network, GPUs) as the live
 *  plot's System row draws them, over wall time. */
export function SystemSection(props: {
  detail: IRunDetail;
  service: ILabtrackService;
}): React.ReactElement | null {
  const { detail } = props;
  const [histories, error] = useSystemHistories(props.service, detail);
  const keys = Object.keys(detail.metrics).filter(isSystemMetric);
  if (!keys.length) {
    return null;
  }
  const latest = new Map(keys.map(key => [key, detail.metrics[key] ?? NaN] as [string, number]));
  return (
    <Section title="System" testid="labtrack-run-system" wide>
      <div className="lt-Muted" data-testid="labtrack-run-system-headline">
        {systemHeadline(latest)}
      </div>
      {error && (
        <div className="lt-Error" role="alert">
          Could not read the system metrics: {error}
        </div>
      )}
      <div className="lt-SystemCharts">
        {systemCharts(keys).map(chart => {
          const series: ILineSeries[] = chart.lines
            .filter(line => histories[line.key])
            .map(line => ({
              name: line.label,
              x: histories[line.key].timestamps,
              y: histories[line.key].values.map(v => (v === null ? NaN : v))
            }));
          return (
            <div key={chart.id} className="lt-SystemChart" data-chart={chart.id}>
              <div className="lt-SystemChart-title">{chart.title}</div>
              <PlotlyFigure
                className="lt-SystemChart-plot"
                label={`${chart.title} over time`}
                deps={[series]}
                build={theme => {
                  const figure = liveLinesFigure(series, { xAxis: 'time', theme, height: HEIGHT });
                  return { data: figure.data, layout: { ...figure.layout, showlegend: series.length > 1 } };
                }}
              />
            </div>
          );
        })}
      </div>
    </Section>
  );
}
