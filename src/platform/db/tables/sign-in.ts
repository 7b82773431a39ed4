import type { ColumnType } from 'kysely';

/**
 * Failed sign-in attempts counted per key (an address, an IP address or network, a device, an
 * account's second step), shared by every app node through the database. The key is an HMAC of what
 * it counts, never the address or IP itself; a row goes 24 hours after its last failure.
 */
interface SignInThrottlesTable {
  /** `<kind>:<HMAC-SHA256 of what is counted>`, kind being account, ip, device or second-factor. */
  key: string;
  failures: number;
  last_failed_at: ColumnType<Date, Date, Date>;
  /** Attempts before this instant are refused without looking at the password; null when none are. */
  blocked_until: Date | null;
}

export interface SignInTables {
  sign_in_throttles: SignInThrottlesTable;
}
