import { Type as T } from '@sinclair/typebox';
import { renderPage } from '../../platform/html/layout.tsx';
import { HttpError } from '../../platform/http/errors.ts';
import { Choice, type FieldError, Fields, Optional, readForm, Text } from '../../platform/http/forms.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { useCaseContext } from '../../platform/http/use-case.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { RENEWAL_STATUSES, recordRenewal } from './record-renewal.ts';
import { AgreementParamsSchema } from './schemas.ts';
import type { AgreementStore } from './store.ts';
import { AgreementLifecyclePage } from './views/admin.tsx';

const access = { action: 'agreement.renewal.record' } as const;

const RENEWAL_FORM = Fields({
  status: Choice([...RENEWAL_STATUSES, 'none']),
  renewedBy: Optional(Text(64)),
  note: Optional(Text(1000)),
});

/** The custodians' record of renewal, edited by coordinators. */
export function agreementAdminRoutes(app: App, ctx: AppContext, store: AgreementStore): void {
  pageRoute(app, ctx.assets, '/admin/agreements/:id', { access, params: AgreementParamsSchema }, async (request, _reply, page) => {
    const agreement = await store.get(request.params.id);
    if (!agreement) throw new HttpError(404, 'agreement_not_found', `No agreement ${request.params.id}`);
    const values = { status: agreement.renewal?.status ?? 'none', renewedBy: agreement.renewal?.renewedById ?? '', note: agreement.renewal?.note ?? '' };
    return renderPage(<AgreementLifecyclePage ctx={page} agreementId={agreement.id} values={values} errors={{}} saved={false} />);
  });

  pageRoute(app, ctx.assets, '/admin/agreements/:id', { method: 'POST', access, params: AgreementParamsSchema, body: T.Record(T.String(), T.Unknown()) }, async (request, _reply, page) => {
    const form = readForm(request.body, RENEWAL_FORM);
    const id = request.params.id;
    let errors: Partial<Record<'status' | 'renewedBy' | 'note', FieldError>> = form.errors;
    if (!form.errors.status) {
      try {
        const context = useCaseContext(request, ctx);
        await recordRenewal({
          ...context,
          agreementId: id,
          status: form.values.status as (typeof RENEWAL_STATUSES)[number] | 'none',
          renewedById: form.values.renewedBy,
          note: form.values.note,
          recordedBy: request.principal.user.email,
          actor: { ...context.actor, onBehalfOf: request.principal.roles.find((r) => r.organisationId)?.organisationId ?? null },
        });
        ctx.invalidate();
      } catch (error) {
        if (!(error instanceof HttpError) || error.statusCode !== 400) throw error;
        errors = { renewedBy: error.code };
      }
    }
    const saved = Object.keys(errors).length === 0;
    return renderPage(<AgreementLifecyclePage ctx={page} agreementId={id} values={form.values} errors={errors} saved={saved} />);
  });
}
