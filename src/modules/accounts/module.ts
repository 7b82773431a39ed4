import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hasRole, ROLES, type Role } from '../../platform/auth/roles.ts';
import { isLocale } from '../../platform/i18n/locales.ts';
import { type Command, type ModuleManifest, UsageError } from '../../platform/module.ts';
import { purgeThrottles } from '../../platform/auth/throttle.ts';
import { recurring } from '../../platform/jobs/schedule.ts';
import { createUser, SET_PASSWORD_HOURS } from './create-user.ts';
import { deriveKeys, installKeys, keys } from '../../platform/secrets.ts';
import { keyFileInUse, PREVIOUS_KEY_FILE, readNewKey, rotateSecretKey, saveNewKey } from './rotate-secret-key.ts';
import { invitationAdminRoutes } from './admin.tsx';
import { userAdminRoutes } from './admin-users.tsx';
import { accountRoutes } from './routes.tsx';
import { accountsRetention } from './retention.ts';
import { accountPolicy } from './policy.ts';
import { accountsMessages } from './messages.ts';

const PURGE_THROTTLES = 'accounts.purge-sign-in-throttles';

const userCommand: Command = {
  name: 'user',
  usage: 'user create --email <address> --name <name> --role <role> [--organisation <id>] [--locale zh-Hant|zh-Hans|en]',
  summary: 'Create an account with a role (the first administrator, say) and print its set-password link',
  async run(ctx, args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, organisation: { type: 'string' }, locale: { type: 'string' } },
    });
    if (positionals[0] !== 'create' || !values.email || !values.name || !values.role) throw new UsageError(`usage: zjhk ${this.usage}`);
    if (!(ROLES as readonly string[]).includes(values.role)) throw new UsageError(`the role must be one of ${ROLES.join(', ')}`);
    const locale = values.locale ?? 'zh-Hant';
    if (!isLocale(locale)) throw new UsageError('the locale must be zh-Hant, zh-Hans or en');
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) throw new UsageError(`not an email address: ${values.email}`);
    const { setPasswordLink } = await createUser({
      db: ctx.db.kysely,
      email: values.email,
      displayName: values.name,
      locale,
      role: values.role as Role,
      organisationId: values.organisation ?? null,
      publicUrl: ctx.config.publicUrl,
      actor: ctx.actor,
      now: ctx.now(),
    });
    ctx.print(`Created ${values.email} as ${values.role}${values.organisation ? ` of ${values.organisation}` : ''}.`);
    ctx.print(`Send them this link to set their password (valid ${SET_PASSWORD_HOURS} hours):`);
    ctx.print(`  ${setPasswordLink}`);
  },
};

const secretKeyCommand: Command = {
  name: 'secret-key',
  usage: 'secret-key rotate --new-key-file <file>',
  summary: 'Seal two-step secrets and the audit trail under a new secret key (made with openssl rand -hex 32)',
  async run(ctx, args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'new-key-file': { type: 'string' } } });
    if (positionals[0] !== 'rotate' || positionals.length !== 1 || !values['new-key-file']) throw new UsageError(`usage: zjhk ${this.usage}`);
    let master: Buffer;
    try {
      master = readNewKey(path.resolve(values['new-key-file']));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const from = keys();
    const to = deriveKeys(master);
    if (from.totp.equals(to.totp)) throw new UsageError('the new key is the one in use already');
    const dataDir = path.resolve(ctx.config.dataDir);
    const keyFile = ctx.db.kind === 'pglite' && keyFileInUse(dataDir, from);
    const previous = path.join(dataDir, PREVIOUS_KEY_FILE);
    if (keyFile && existsSync(previous)) throw new UsageError(`${previous} is left from an earlier rotation: once nothing needs it, remove it and run this again`);
    const result = await rotateSecretKey({ db: ctx.db.kysely, from, to });
    ctx.print(`Sealed ${result.resealed} two-step secret${result.resealed === 1 ? '' : 's'} and the audit trail under the new key${result.alreadyNew ? ` (${result.alreadyNew} already were)` : ''}.`);
    if (keyFile) {
      saveNewKey(dataDir, master);
      ctx.print(`The new key is in ${path.join(dataDir, 'secret-key')}; the old one was kept as ${previous}. Remove it once backups made before now are no longer needed.`);
    } else {
      installKeys(master);
      ctx.print('Now set SECRET_KEY to the new key on every node and restart them: a node still on the old key cannot check two-step codes or extend the audit trail.');
    }
  },
};

export const accountsModule: ModuleManifest = {
  name: 'accounts',
  messages: accountsMessages,
  matrix: async () => (await import('./matrix.ts')).accountsMatrix,
  policy: accountPolicy,
  adminLinks: [
    { label: 'users.title', path: '/admin/users', action: 'user.manage', order: 30 },
    { label: 'represent.admin.title', path: '/admin/representation-requests', action: 'user.manage', order: 40 },
    { label: 'invite.title', path: '/admin/invitations', action: 'invitation.manage', order: 60 },
  ],
  retention: accountsRetention,
  routes(app, ctx) {
    accountRoutes(app, ctx);
    invitationAdminRoutes(app, ctx);
    userAdminRoutes(app, ctx);
  },
  // Accounts, invitations and requests to represent an enterprise: administrators, who manage them.
  auditSubjects: {
    user: (_db, p) => (hasRole(p, 'administrator') ? 'all' : 'none'),
    invitation: (_db, p) => (hasRole(p, 'administrator') ? 'all' : 'none'),
    'representation-request': (_db, p) => (hasRole(p, 'administrator') ? 'all' : 'none'),
  },
  commands: [userCommand, secretKeyCommand],
  jobs(config) {
    return {
      handlers: {
        // Failed sign-in counts hold who tried (hashed address and IP): gone a day after the last failure.
        [PURGE_THROTTLES]: async (_payload: unknown, job) => {
          const removed = await purgeThrottles(job.db, job.now());
          job.log.info({ removed }, 'sign-in throttles purged');
        },
      },
      recurring: [recurring(PURGE_THROTTLES, `daily at 03:40 in ${config.timeZone}`)],
    };
  },
};
