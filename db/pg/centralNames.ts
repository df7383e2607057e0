// The central Postgres's schemas and roles by name, and its one clock rule: what every
// part of its SQL (central*.ts) names.

export const DATA = 'milepost_data';
export const API = 'milepost';
export const DEVICE_GROUP = 'milepost_device';
/**
 * A change stamped more than this ahead of the server's clock is restamped at the
 * server's time when it arrives (kept, never refused: SPEC §8), and the device is told.
 */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

export const deviceRole = (tenantId: string) => `milepost_t_${tenantId.replace(/-/g, '_')}`;
