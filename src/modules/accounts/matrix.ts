import { randomUUID } from 'node:crypto';
import { ADMINS, COORDINATORS, EVERYONE, type ModuleMatrix, NONE, SIGNED_IN } from '../../platform/access-matrix.ts';
import { systemClock } from '../../platform/clock.ts';
import { insertUser } from './queries.ts';

/**
 * Accounts: registration and sign-in (sign-in through an identity service is not configured), one's
 * own account, people and invitations in the admin area. The pages opened from a link with a token
 * show one person's data. The routes about one person are tried on {target}: not one of the roles,
 * disabling them would change their outcomes.
 */
export const accountsMatrix: ModuleMatrix = {
  lines: {
    'GET /{lang}/register': { url: '/en/register', expect: EVERYONE },
    'POST /{lang}/register': { url: '/en/register', expect: EVERYONE },
    'GET /{lang}/verify-email': { url: '/en/verify-email', expect: EVERYONE, personal: true },
    'GET /{lang}/account/verify-email': { url: '/en/account/verify-email', expect: SIGNED_IN },
    'POST /{lang}/account/verify-email': { url: '/en/account/verify-email', expect: SIGNED_IN },
    'GET /{lang}/login': { url: '/en/login', expect: EVERYONE },
    'POST /{lang}/login': { url: '/en/login', expect: EVERYONE },
    'POST /{lang}/logout': { url: '/en/logout', expect: SIGNED_IN },
    'GET /{lang}/forgot-password': { url: '/en/forgot-password', expect: EVERYONE },
    'POST /{lang}/forgot-password': { url: '/en/forgot-password', expect: EVERYONE },
    'GET /{lang}/reset-password': { url: '/en/reset-password', expect: EVERYONE, personal: true },
    'POST /{lang}/reset-password': { url: '/en/reset-password', expect: EVERYONE },
    'GET /{lang}/account': { url: '/en/account', expect: SIGNED_IN },
    'GET /{lang}/account/email': { url: '/en/account/email', expect: SIGNED_IN },
    'POST /{lang}/account/email': { url: '/en/account/email', expect: SIGNED_IN },
    'GET /{lang}/confirm-email-change': { url: '/en/confirm-email-change', expect: EVERYONE, personal: true },
    'GET /{lang}/account/two-factor': { url: '/en/account/two-factor', expect: SIGNED_IN },
    'POST /{lang}/account/two-factor': { url: '/en/account/two-factor', expect: SIGNED_IN },
    'GET /{lang}/login/two-factor': { url: '/en/login/two-factor', expect: SIGNED_IN },
    'POST /{lang}/login/two-factor': { url: '/en/login/two-factor', expect: SIGNED_IN },
    'GET /{lang}/admin/users': { url: '/en/admin/users', expect: ADMINS },
    'GET /{lang}/admin/users/:id': { url: '/en/admin/users/{target}', expect: ADMINS },
    'POST /{lang}/admin/users/:id/roles': { url: '/en/admin/users/{target}/roles', expect: ADMINS },
    'POST /{lang}/admin/users/:id/roles/remove': { url: '/en/admin/users/{target}/roles/remove', expect: ADMINS },
    'POST /{lang}/admin/users/:id/disable': { url: '/en/admin/users/{target}/disable', expect: ADMINS },
    'POST /{lang}/admin/users/:id/enable': { url: '/en/admin/users/{target}/enable', expect: ADMINS },
    'GET /{lang}/admin/representation-requests': { url: '/en/admin/representation-requests', expect: ADMINS },
    'POST /{lang}/admin/representation-requests/:id': { url: '/en/admin/representation-requests/999', expect: ADMINS },
    'POST /{lang}/account/represent': { url: '/en/account/represent', expect: SIGNED_IN },
    'GET /{lang}/admin/invitations': { url: '/en/admin/invitations', expect: COORDINATORS },
    'POST /{lang}/admin/invitations': { url: '/en/admin/invitations', expect: COORDINATORS },
    'POST /{lang}/admin/invitations/withdraw': { url: '/en/admin/invitations/withdraw', expect: COORDINATORS },
    'GET /{lang}/invitation': { url: '/en/invitation', expect: EVERYONE, personal: true },
    'POST /{lang}/invitation': { url: '/en/invitation', expect: EVERYONE },
    'GET /auth/oidc/start': { url: '/auth/oidc/start', expect: NONE },
    'GET /auth/oidc/callback': { url: '/auth/oidc/callback', expect: NONE },
  },
  async setup(db) {
    const target = randomUUID();
    await insertUser(db, { id: target, email: 'target@example.org', displayName: 'target', locale: 'en', passwordHash: null, emailVerifiedAt: systemClock() });
    return { target };
  },
};
