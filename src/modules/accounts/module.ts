import { parseArgs } from 'node:util';
import { hasRole, ROLES, type Role } from '../../platform/auth/roles.ts';
import { isLocale } from '../../platform/i18n/locales.ts';
import { type Command, type ModuleManifest, UsageError } from '../../platform/module.ts';
import { createUser, SET_PASSWORD_HOURS } from './create-user.ts';
import { invitationAdminRoutes } from './admin.tsx';
import { userAdminRoutes } from './admin-users.tsx';
import { accountRoutes } from './routes.tsx';

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
    });
    ctx.print(`Created ${values.email} as ${values.role}${values.organisation ? ` of ${values.organisation}` : ''}.`);
    ctx.print(`Send them this link to set their password (valid ${SET_PASSWORD_HOURS} hours):`);
    ctx.print(`  ${setPasswordLink}`);
  },
};

export const accountsModule: ModuleManifest = {
  name: 'accounts',
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
  commands: [userCommand],
};
