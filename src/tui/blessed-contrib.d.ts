// Types for the few parts of blessed-contrib the dashboard uses (the package ships none).
declare module 'blessed-contrib' {
  import type { Widgets } from 'blessed';

  type WidgetFactory<T> = (options: Record<string, unknown>) => T;

  interface GridOptions {
    /** The element the cells are placed in (contrib calls it the screen; any element works). */
    readonly screen: Widgets.Node;
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

  interface SparklineChart extends Widgets.BoxElement {
    setData(titles: string[], datasets: number[][]): void;
  }

  const sparkline: WidgetFactory<SparklineChart>;

  const contrib: { grid: typeof grid; sparkline: typeof sparkline };
  export default contrib;
}
