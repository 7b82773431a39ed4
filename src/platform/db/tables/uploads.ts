import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** An upload running now, held by an account (`user:<id>`) or an address (`ip:<address>`). */
interface UploadSlotsTable {
  id: string;
  holder: string;
  expires_at: Timestamp;
}

/**
 * A file sent with a form that was refused, kept for the corrected form: bound to its sender
 * (`user:<id>`, or `browser:<hash of a random cookie>`), usable 24 hours, then purged with its file.
 */
interface PendingUploadsTable {
  file_id: string;
  owner: string;
  /** The form field it came in. */
  field: string;
  created_at: Timestamp;
}

export interface UploadTables {
  upload_slots: UploadSlotsTable;
  pending_uploads: PendingUploadsTable;
}
