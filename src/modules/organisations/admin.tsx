import { Type as T } from '@sinclair/typebox';
import type { SignedInRequest } from '../../platform/auth/plugin.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { renderPage } from '../../platform/html/layout.tsx';
import { HttpError } from '../../platform/http/errors.ts';
import { type FieldError, readForm } from '../../platform/http/forms.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { useCaseContext } from '../../platform/http/use-case.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { findOrganisation, findOrganisations, type Organisation } from './queries.ts';
import { ORGANISATION_FORM, saveOrganisationForm } from './save-organisation.ts';
import { OrganisationFormPage, OrganisationsPage } from './views/admin.tsx';

const access = { action: 'organisation.manage' } as const;
const Params = T.Object({ id: T.String({ pattern: '^[a-z0-9-]{1,64}$' }) });
const FormBody = T.Record(T.String(), T.Unknown());

function formValues(o: Organisation): Record<string, string> {
  return {
    type: o.type,
    side: o.side,
    parentId: o.parentId ?? '',
    nameHant: o.name['zh-Hant'] ?? '',
    nameHans: o.name['zh-Hans'] ?? '',
    nameEn: o.name.en ?? '',
    abbreviation: o.abbreviation ?? '',
    website: o.website ?? '',
    email: o.email ?? '',
    phone: o.phone ?? '',
  };
}

/** Administrators keep the list of organisations, in three languages. */
export function organisationAdminRoutes(app: App, ctx: AppContext): void {
  const db = ctx.db.kysely;
  const form = async (page: PageContext, existingId: string | undefined, values: Record<string, string>, errors: Partial<Record<string, FieldError>>, saved = false) =>
    renderPage(<OrganisationFormPage ctx={page} existingId={existingId} values={values} errors={errors} organisations={await findOrganisations(db)} saved={saved} />);
  const save = async (request: SignedInRequest, page: PageContext, existingId: string | undefined) => {
    const submitted = readForm(request.body, ORGANISATION_FORM);
    const result = await saveOrganisationForm({ ...useCaseContext(request, ctx), ...(existingId ? { existingId } : {}), form: submitted });
    if (!result.ok) return form(page, existingId, submitted.values, result.errors);
    // Names of organisations appear on cached public pages (lead agencies, parties).
    ctx.invalidate();
    const saved = await findOrganisation(db, result.id);
    return form(page, result.id, saved ? formValues(saved) : submitted.values, {}, true);
  };

  pageRoute(app, ctx.assets, '/admin/organisations', { access }, async (_request, _reply, page) => renderPage(<OrganisationsPage ctx={page} organisations={await findOrganisations(db)} />));
  pageRoute(app, ctx.assets, '/admin/organisations/new', { access }, async (_request, _reply, page) => form(page, undefined, { type: 'government-agency', side: 'hong-kong' }, {}));
  pageRoute(app, ctx.assets, '/admin/organisations/new', { method: 'POST', access, body: FormBody }, async (request, _reply, page) => save(request, page, undefined));
  pageRoute(app, ctx.assets, '/admin/organisations/:id', { access, params: Params }, async (request, _reply, page) => {
    const organisation = await findOrganisation(db, request.params.id);
    if (!organisation) throw new HttpError(404, 'organisation_not_found', `No organisation ${request.params.id}`);
    return form(page, organisation.id, formValues(organisation), {});
  });
  pageRoute(app, ctx.assets, '/admin/organisations/:id', { method: 'POST', access, params: Params, body: FormBody }, async (request, _reply, page) => {
    if (!(await findOrganisation(db, request.params.id))) throw new HttpError(404, 'organisation_not_found', `No organisation ${request.params.id}`);
    return save(request, page, request.params.id);
  });
}
