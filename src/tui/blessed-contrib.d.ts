// Types for the two blessed-contrib modules the dashboard loads (the package ships none); its index would load every widget.
declare module 'blessed-contrib/lib/layout/grid.js' {
  import type { Widgets } from 'blessed';

  interface GridOptions {
    /** The element the cells are placed in (contrib calls it the screen; any element works). */
    readonly screen: Widgets.Node;
    readonly rows: number;
    readonly cols: number;
    readonly hideBorder?: boolean;
    /** Border colour of every cell. */
    readonly color?: string;
  }

  class Grid {
    constructor(options: GridOptions);
    set<T>(row: number, col: number, rowSpan: number, colSpan: number, factory: (options: Record<string, unknown>) => T, options: Record<string, unknown>): T;
  }
  export default Grid;
}

declare module 'blessed-contrib/lib/widget/sparkline.js' {
  import type { Widgets } from 'blessed';

  interface SparklineChart extends Widgets.BoxElement {
    setData(titles: string[], datasets: number[][]): void;
  }

  const sparkline: (options: Record<string, unknown>) => SparklineChart;
  export default sparkline;
}
