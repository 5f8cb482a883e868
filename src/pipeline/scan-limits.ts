// How much of a scan the report keeps, and the defaults: apart from the collector so that `--help` can show them cheaply.

export interface ScanLimits {
  /** Exchanges kept for the report (the first ones); counts stay exact beyond. */
  readonly maxExchanges: number;
  /** Findings kept per rule for the report; counts and the exit decision stay exact beyond. */
  readonly maxFindingsPerRule: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxExchanges: 2_000, maxFindingsPerRule: 500 };
