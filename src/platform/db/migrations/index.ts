import type { Migration } from 'kysely/migration';
import * as agreements from './2026-11-26-0001-agreements.ts';
import * as audit from './2026-11-26-0002-audit.ts';
import * as jobsAndMail from './2026-11-26-0003-jobs-and-mail.ts';
import * as accounts from './2026-11-26-0004-accounts.ts';
import * as oidcAttempts from './2026-11-26-0005-oidc-attempts.ts';
import * as representation from './2026-11-26-0006-representation-requests.ts';
import * as rateLimits from './2026-11-26-0007-rate-limits.ts';
import * as implementation from './2026-11-26-0008-implementation.ts';
import * as search from './2026-11-26-0009-search.ts';
import * as calendars from './2026-11-26-0010-calendars.ts';
import * as knowledge from './2026-11-26-0011-knowledge.ts';
import * as enquiries from './2026-11-26-0012-enquiries.ts';
import * as suggestions from './2026-11-26-0013-suggestions.ts';
import * as mailAttachments from './2026-11-26-0014-mail-attachments.ts';
import * as events from './2026-11-26-0015-events.ts';
import * as uploads from './2026-12-07-0016-uploads.ts';
import * as signInHardening from './2026-12-07-0017-sign-in-hardening.ts';
import * as mailRetention from './2026-12-07-0019-mail-retention.ts';
import * as auditChains from './2026-12-07-0018-audit-chains.ts';
import * as indicatorCountedBy from './2026-12-07-0020-indicator-counted-by.ts';

/** Every migration, in order. Names sort in the order they run; never rename or edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '2026-11-26-0001-agreements': agreements,
  '2026-11-26-0002-audit': audit,
  '2026-11-26-0003-jobs-and-mail': jobsAndMail,
  '2026-11-26-0004-accounts': accounts,
  '2026-11-26-0005-oidc-attempts': oidcAttempts,
  '2026-11-26-0006-representation-requests': representation,
  '2026-11-26-0007-rate-limits': rateLimits,
  '2026-11-26-0008-implementation': implementation,
  '2026-11-26-0009-search': search,
  '2026-11-26-0010-calendars': calendars,
  '2026-11-26-0011-knowledge': knowledge,
  '2026-11-26-0012-enquiries': enquiries,
  '2026-11-26-0013-suggestions': suggestions,
  '2026-11-26-0014-mail-attachments': mailAttachments,
  '2026-11-26-0015-events': events,
  '2026-12-07-0016-uploads': uploads,
  '2026-12-07-0017-sign-in-hardening': signInHardening,
  '2026-12-07-0019-mail-retention': mailRetention,
  '2026-12-07-0018-audit-chains': auditChains,
  '2026-12-07-0020-indicator-counted-by': indicatorCountedBy,
};
