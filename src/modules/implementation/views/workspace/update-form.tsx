import type { PendingFile } from '../../../../platform/files/pending.ts';
import type { PageContext } from '../../../../platform/html/context.ts';
import { CheckboxList, DefaultSubmit, ErrorSummary, Form, LocalizedFields, Notice, PendingFiles, TextArea, TextField } from '../../../../platform/html/forms.tsx';
import { Layout } from '../../../../platform/html/layout.tsx';
import { Localized, LocalizedBlock } from '../../../../platform/html/localized.tsx';
import type { MessageKey } from '../../../../platform/i18n/messages.ts';
import type { IndicatorCountSource } from '../../../../platform/indicator-counts.ts';
import { countingOf } from '../../indicator-counts.ts';
import type { Action } from '../../queries/actions.ts';
import type { Indicator, Period } from '../../queries/indicators.ts';
import type { ProjectAgreement } from '../../queries/project-agreements.ts';
import type { UpdateDetail } from '../../queries/updates.ts';
import { countedKind, filePath, formatBytes, orgName, type Organisations, periodLabel, Section, sideName } from '../parts.tsx';
import { type Errors, stateKey, type Values } from './shared.ts';

export function UpdateFormPage({
  ctx,
  sources,
  action,
  update,
  values,
  errors,
  periods,
  projectAgreements,
  linked,
  organisations,
  canEdit,
  canDecide,
  decisionErrors,
  notice,
  pending = [],
}: {
  ctx: PageContext;
  /** The app's count sources: a counted indicator asks no figure, and the form says why. */
  sources: readonly IndicatorCountSource[];
  action: Action;
  update: UpdateDetail | undefined;
  values: Values;
  errors: Errors;
  periods: { indicator: Indicator; period: Period }[];
  projectAgreements: ProjectAgreement[];
  linked: string[];
  organisations: Organisations;
  canEdit: boolean;
  canDecide: boolean;
  decisionErrors: Errors;
  notice?: MessageKey | undefined;
  /** Evidence kept from an attempt that was refused, sent again with the form. */
  pending?: readonly PendingFile[];
}) {
  const { t } = ctx;
  const title = update ? t('impl.update.titleRef', { reference: update.reference }) : t('impl.update.new');
  const path = update ? `/workspace/updates/${update.id}` : `/workspace/actions/${action.id}/updates/new`;
  const periodValue = (periodId: number) => update?.values.find((v) => v.periodId === periodId);
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumbs={[{ label: t('impl.workspace.title'), href: ctx.href('/workspace') }, { label: ctx.text(action.title), href: ctx.href(`/workspace/actions/${action.id}`) }, { label: title }]}
    >
      <h1>{title}</h1>
      <p class="eyebrow">
        <Localized ctx={ctx} text={action.title} />
      </p>
      {notice && <Notice>{t(notice as 'impl.saved')}</Notice>}
      {update && (
        <dl class="facts">
          <dt>{t('impl.update.state')}</dt>
          <dd>{t(stateKey(update.state))}</dd>
          <dt>{t('impl.update.agency')}</dt>
          <dd>
            {orgName(ctx, organisations, update.organisationId)} ({sideName(ctx, update.side)})
          </dd>
          {update.authorName && (
            <>
              <dt>{t('impl.update.author')}</dt>
              <dd>{update.authorName}</dd>
            </>
          )}
          {update.state === 'returned' && update.returnReason && (
            <>
              <dt>{t('impl.update.returnReason')}</dt>
              <dd>{update.returnReason}</dd>
            </>
          )}
        </dl>
      )}
      {canEdit ? (
        <>
          <ErrorSummary ctx={ctx} errors={errors} labels={{ narrativeHant: t('impl.update.narrative'), attachments: t('impl.update.attachments'), intent: t('impl.update.title') }} />
          <form method="post" action={ctx.href(path)} enctype="multipart/form-data" novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken()} />
            {pending.length > 0 && <DefaultSubmit name="intent" value="save" />}
            <LocalizedFields ctx={ctx} prefix="narrative" legend={t('impl.update.narrative')} hint={t('impl.form.oneLanguage')} values={values} errors={errors} multiline />
            {periods.length > 0 && (
              <fieldset class="indicator-values">
                <legend>{t('impl.update.figures')}</legend>
                <p class="hint">{t('impl.update.figuresHint')}</p>
                {periods.map(({ indicator, period }) => {
                  const name = `period-${period.id}`;
                  const unit = ctx.text(indicator.unit);
                  // Actuals of a counted indicator are counted on the platform, not reported: the form says so instead of asking.
                  if (indicator.countedBy !== null) {
                    const named = `${ctx.text(indicator.name)} · ${periodLabel(ctx, period)} (${countedKind(ctx, sources, indicator.countedBy)})`;
                    const source = countingOf(sources, indicator.countedBy)?.source;
                    return (
                      <p class="counted-figure" id={`counted-${period.id}`}>
                        {source ? t(source.noFigure, { name: named }) : t('impl.update.countedFigure', { name: named })}
                      </p>
                    );
                  }
                  const stored = periodValue(period.id);
                  const value = values[name] ?? (stored ? (stored.value !== null ? String(stored.value) : ctx.text(stored.text ?? {})) : '');
                  return (
                    <TextField
                      ctx={ctx}
                      name={name}
                      label={`${ctx.text(indicator.name)} · ${periodLabel(ctx, period)}${unit ? ` (${unit})` : ''}`}
                      value={value}
                      error={errors[name]}
                      {...(indicator.measure === 'qualitative' ? {} : { inputmode: 'decimal' as const })}
                    />
                  );
                })}
              </fieldset>
            )}
            {projectAgreements.length > 0 && (
              <CheckboxList
                ctx={ctx}
                name="projectAgreements"
                legend={t('impl.update.projectAgreements')}
                checked={linked}
                options={projectAgreements.map((p) => ({ value: String(p.id), label: `${p.reference} ${ctx.text(p.title)}` }))}
              />
            )}
            {update && update.attachments.length > 0 && (
              <CheckboxList
                ctx={ctx}
                name="removeAttachments"
                legend={t('impl.update.removeAttachments')}
                checked={[]}
                options={update.attachments.map((f) => ({ value: f.id, label: `${f.name} (${formatBytes(f.size)})` }))}
              />
            )}
            <div class={errors.attachments ? 'field field-error' : 'field'}>
              <label for="field-attachments">{t('impl.update.attachments')}</label>
              <p class="hint" id="field-attachments-hint">
                {t('impl.update.attachmentsHint')}
              </p>
              {errors.attachments && (
                <p class="error-message" id="field-attachments-error">
                  {t(`form.error.${errors.attachments}` as 'form.error.required')}
                </p>
              )}
              <input
                id="field-attachments"
                name="attachments"
                type="file"
                multiple
                accept=".pdf,.png,.jpg,.jpeg,.webp,.gif,.docx,.xlsx,.pptx,.doc,.xls,.ppt,.odt,.ods,.odp"
                aria-describedby="field-attachments-hint"
              />
              <PendingFiles ctx={ctx} field="attachments" files={pending} />
            </div>
            <div class="buttons">
              <button type="submit" name="intent" value="save" class="secondary">
                {t('impl.update.saveDraft')}
              </button>
              <button type="submit" name="intent" value="submit">
                {t('impl.update.submit')}
              </button>
            </div>
          </form>
        </>
      ) : (
        update && <UpdateReadOnly ctx={ctx} update={update} periods={periods} />
      )}
      {canDecide && update && (
        <Section id="decision" title={t('impl.update.decide')}>
          <ErrorSummary ctx={ctx} errors={decisionErrors} labels={{ reason: t('impl.update.returnReason'), decision: t('impl.update.decide') }} />
          <Form ctx={ctx} action={ctx.href(`/workspace/updates/${update.id}/decision`)}>
            <TextArea ctx={ctx} name="reason" label={t('impl.update.returnReason')} hint={t('impl.update.returnReasonHint')} error={decisionErrors.reason} rows={3} />
            <div class="buttons">
              <button type="submit" name="decision" value="approve">
                {t('impl.update.approve')}
              </button>
              <button type="submit" name="decision" value="return" class="secondary">
                {t('impl.update.return')}
              </button>
            </div>
          </Form>
        </Section>
      )}
    </Layout>
  );
}

function UpdateReadOnly({ ctx, update, periods }: { ctx: PageContext; update: UpdateDetail; periods: { indicator: Indicator; period: Period }[] }) {
  return (
    <>
      <LocalizedBlock ctx={ctx} text={update.narrative} />
      {update.values.length > 0 && (
        <table>
          <caption>{ctx.t('impl.update.figures')}</caption>
          <tbody>
            {update.values.map((v) => {
              const p = periods.find((x) => x.period.id === v.periodId);
              return (
                <tr>
                  <th scope="row">{p ? `${ctx.text(p.indicator.name)} · ${periodLabel(ctx, p.period)}` : v.periodId}</th>
                  <td class="num">{v.value !== null ? String(v.value) : ctx.text(v.text ?? {})}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {update.attachments.length > 0 && (
        <ul class="attachments">
          {update.attachments.map((f) => (
            <li>
              <a href={filePath(f)}>{f.name}</a> ({formatBytes(f.size)})
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
