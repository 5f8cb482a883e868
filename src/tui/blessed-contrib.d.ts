// Types for the few parts of blessed-contrib the dashboard uses (the package ships none).
declare module 'blessed-contrib' {
  import type { Widgets } from 'blessed';

  type WidgetFactory<T> = (options: Record<string, unknown>) => T;

  interface GridOptions {
    readonly screen: Widgets.Screen;
    readonly rows: number;
    readonly cols: number;
    readonly hideBorder?: boolean;
    /** Border colour of every cell. */
    readonly color?: string;
  }

  class grid {
    constructor(options: GridOptions);
    set<T>(row: number, col: number, rowSpan: number, colSpan: number, factory: WidgetFactory<T>, options: Record<string, unknown>): T;
  }

  interface BarChart extends Widgets.BoxElement {
    setData(data: { titles: string[]; data: number[] }): void;
  }

  interface SparklineChart extends Widgets.BoxElement {
    setData(titles: string[], datasets: number[][]): void;
  }

  const bar: WidgetFactory<BarChart>;
  const sparkline: WidgetFactory<SparklineChart>;
}
