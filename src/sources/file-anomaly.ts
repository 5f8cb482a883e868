// Builds the Anomaly a capture reader reports about a place in the file.
import type { Anomaly, AnomalySeverity } from '../model/index.js';

/** An anomaly located by byte offset (and frame, when it concerns one) in a capture file. */
export function fileAnomaly(
  severity: AnomalySeverity,
  code: string,
  message: string,
  file: string | undefined,
  offset: number,
  frame?: number,
): Anomaly {
  return {
    code,
    severity,
    message,
    offset,
    ...(file !== undefined && { file }),
    ...(frame !== undefined && { frame }),
  };
}
