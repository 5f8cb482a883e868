// CaptureSink: how a capture reader hands frames, secrets and anomalies to the next stage.
import type { Anomaly, CaptureFrame, CaptureSecrets } from '../model/index.js';

export interface CaptureSink {
  /** Called once, before the first frame, when the file's format is known. */
  start?(format: PacketFileFormat, gzip: boolean): void;
  frame(frame: CaptureFrame): void;
  anomaly(anomaly: Anomaly): void;
  secrets(secrets: CaptureSecrets): void;
}

export type PacketFileFormat = 'pcap' | 'pcapng';

export interface CaptureFileSummary {
  readonly format: PacketFileFormat;
  readonly gzip: boolean;
  readonly frames: number;
  /** Bytes read from the (decompressed) file. */
  readonly bytes: number;
  /** True when the reader stopped early on damage (an anomaly says where). */
  readonly damaged: boolean;
}
