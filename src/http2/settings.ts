// SETTINGS frame payloads (RFC 9113 §6.5): the parameters an endpoint announces; only the header table size matters to a reader.

export const SettingId = { HEADER_TABLE_SIZE: 1 } as const;

/** The (id, value) pairs of a SETTINGS payload, or undefined when its length is not a multiple of 6. */
export function parseSettings(payload: Buffer): Array<{ id: number; value: number }> | undefined {
  if (payload.length % 6 !== 0) return undefined;
  const settings: Array<{ id: number; value: number }> = [];
  for (let offset = 0; offset < payload.length; offset += 6) settings.push({ id: payload.readUInt16BE(offset), value: payload.readUInt32BE(offset + 2) });
  return settings;
}
