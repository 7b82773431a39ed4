import { purgeThrottles } from '../../platform/auth/throttle.ts';
import { noPersonalData, type RetentionEntry } from '../../platform/retention.ts';
import { CLOSED_REQUEST_MONTHS, PURGE_ACCOUNTS, purgeClosedRepresentationRequests, purgeExpiredTokens, purgeUnconfirmedAccounts, UNCONFIRMED_ACCOUNT_DAYS } from './purge-accounts.ts';

/** The accounts' tables in the account of personal data (see platform/retention.ts). */
export const accountsRetention: RetentionEntry[] = [
  {
    table: 'users',
    personalData: 'email address, name, language, password hash, sealed two-step secret, identity-provider subject, last sign-in',
    goes: `while the account exists: there is no deletion on request yet (an administrator can disable an account, which keeps its data); a registration never confirmed nor used: ${UNCONFIRMED_ACCOUNT_DAYS} days after it was made`,
    how: `daily job \`${PURGE_ACCOUNTS}\` for unconfirmed registrations; sessions, links, roles and codes go with an account`,
    job: PURGE_ACCOUNTS,
    purge: (db, { now }) => purgeUnconfirmedAccounts(db, now),
  },
  {
    table: 'user_tokens',
    personalData: 'the address a link (password reset, address check or change, invitation) was sent to, an invitee’s name',
    goes: 'when the link expires (1 hour to 7 days)',
    how: `daily job \`${PURGE_ACCOUNTS}\``,
    job: PURGE_ACCOUNTS,
    purge: (db, { now }) => purgeExpiredTokens(db, now),
  },
  {
    table: 'representation_requests',
    personalData: 'who asked to represent which organisation, their position, a rejection’s reason',
    goes: `rejected or withdrawn: ${CLOSED_REQUEST_MONTHS} months after; approved: with the account (it is the role’s basis)`,
    how: `daily job \`${PURGE_ACCOUNTS}\``,
    job: PURGE_ACCOUNTS,
    purge: (db, { now }) => purgeClosedRepresentationRequests(db, now),
  },
  {
    table: 'sign_in_throttles',
    personalData: 'failed sign-ins counted per address, IP address, device or account (by a keyed hash, never in clear)',
    goes: 'a day after the last failure',
    // The accounts module's own job (module.ts).
    how: 'daily job `accounts.purge-sign-in-throttles`',
    job: 'accounts.purge-sign-in-throttles',
    purge: (db, { now }) => purgeThrottles(db, now),
  },
  { table: 'user_roles', personalData: 'an account’s roles and organisation', goes: 'when the role is withdrawn, or with the account', how: 'deleted by the administrator’s change' },
  {
    table: 'recovery_codes',
    personalData: 'an account’s one-time recovery codes (salted hashes)',
    goes: 'when replaced (a used code is marked), or with the account',
    how: 'replaced on re-enrolment',
  },
  ...noPersonalData(['oidc_attempts'], 'a sign-in’s state, nonce and return path; deleted when used or once expired'),
  ...noPersonalData(['organisations'], 'agencies’ and enterprises’ public contact details, not a person’s'),
];
