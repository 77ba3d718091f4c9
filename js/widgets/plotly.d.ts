// The part of plotly.js the widgets call (the package ships no types of its own).
declare module 'plotly.js-basic-dist-min' {
  export interface IPlotly {
    react(
      root: HTMLElement,
      data: Record<string, unknown>[],
      layout: Record<string, unknown>,
      config?: Record<string, unknown>
    ): Promise<HTMLElement>;
    purge(root: HTMLElement): void;
    Plots: { resize(root: HTMLElement): Promise<void> | void };
  }
  const Plotly: IPlotly;
  export default Plotly;
}
