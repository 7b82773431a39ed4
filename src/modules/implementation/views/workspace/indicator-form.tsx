import type { PageContext } from '../../../../platform/html/context.ts';
import { ErrorSummary, Form, LocalizedFields, Notice, SelectField, TextField } from '../../../../platform/html/forms.tsx';
import { Layout } from '../../../../platform/html/layout.tsx';
import type { IndicatorCountSource } from '../../../../platform/indicator-counts.ts';
import { countedByValue, type Indicator } from '../../queries/indicators.ts';
import { DIRECTIONS, MEASURES, SCOPES } from '../../schemas.ts';
import { CountedFrom, periodLabel, ReadingText, readingOf, Section, sideName } from '../parts.tsx';
import type { Errors, Values } from './shared.ts';

export function IndicatorFormPage({
  ctx,
  sources,
  indicator,
  values,
  errors,
  commitmentOptions,
  periodValues,
  periodErrors,
  saved,
  canConfirm,
}: {
  ctx: PageContext;
  /** The app's count sources: what an indicator may count, each with its choices. */
  sources: readonly IndicatorCountSource[];
  indicator: Indicator | undefined;
  values: Values;
  errors: Errors;
  commitmentOptions: { value: string; label: string }[];
  periodValues: Values;
  periodErrors: Errors;
  saved: boolean;
  canConfirm: (side: 'hong-kong' | 'zhejiang') => boolean;
}) {
  const { t } = ctx;
  const title = indicator ? ctx.text(indicator.name) : t('impl.indicator.new');
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumbs={[{ label: t('impl.workspace.title'), href: ctx.href('/workspace') }, { label: t('impl.indicators'), href: ctx.href('/workspace/indicators') }, { label: title }]}
    >
      <h1>{title}</h1>
      {saved && <Notice>{t('impl.saved')}</Notice>}
      <ErrorSummary
        ctx={ctx}
        errors={errors}
        labels={{
          nameHant: t('impl.indicator.name'),
          baseline: t('impl.indicator.baseline'),
          baselineOn: t('impl.indicator.baselineOn'),
          measure: t('impl.indicator.measure'),
          countsEvents: t('impl.indicator.countedBy'),
          commitment: t('impl.dashboard.commitment'),
        }}
      />
      <Form ctx={ctx} action={ctx.href(indicator ? `/workspace/indicators/${indicator.id}` : '/workspace/indicators/new')}>
        {!indicator && <SelectField ctx={ctx} name="commitment" label={t('impl.dashboard.commitment')} value={values.commitment ?? ''} error={errors.commitment} options={commitmentOptions} />}
        <LocalizedFields ctx={ctx} prefix="name" legend={t('impl.indicator.name')} hint={t('impl.form.oneLanguage')} values={values} errors={errors} />
        <LocalizedFields ctx={ctx} prefix="unit" legend={t('impl.indicator.unit')} values={values} errors={errors} />
        <LocalizedFields ctx={ctx} prefix="description" legend={t('impl.form.description')} values={values} errors={errors} multiline />
        <SelectField
          ctx={ctx}
          name="measure"
          label={t('impl.indicator.measure')}
          value={values.measure ?? 'number'}
          error={errors.measure}
          options={MEASURES.map((m) => ({ value: m, label: t(`impl.indicator.measure.${m}`) }))}
        />
        <SelectField
          ctx={ctx}
          name="direction"
          label={t('impl.indicator.directionLabel')}
          value={values.direction ?? 'increase'}
          error={errors.direction}
          options={DIRECTIONS.map((d) => ({ value: d, label: t(`impl.indicator.direction.${d}`) }))}
        />
        <SelectField
          ctx={ctx}
          name="scope"
          label={t('impl.indicator.scopeLabel')}
          value={values.scope ?? 'joint'}
          error={errors.scope}
          options={SCOPES.map((s) => ({ value: s, label: t(`impl.indicator.scope.${s}`) }))}
        />
        <TextField ctx={ctx} name="baseline" label={t('impl.indicator.baseline')} value={values.baseline ?? ''} error={errors.baseline} />
        <TextField ctx={ctx} name="baselineOn" type="date" label={t('impl.indicator.baselineOn')} value={values.baselineOn ?? ''} error={errors.baselineOn} />
        {/* The field keeps its first name, from when only events were counted; its values name the source, 'events:promotion'. */}
        <SelectField
          ctx={ctx}
          name="countsEvents"
          label={t('impl.indicator.countedBy')}
          hint={[...sources.map((s) => t(s.hint)), t('impl.indicator.countedByHint')].join(ctx.locale === 'en' ? ' ' : '')}
          value={values.countsEvents ?? (indicator?.countedBy ? countedByValue(indicator.countedBy) : '')}
          error={errors.countsEvents}
          blank={t('impl.indicator.countedBy.none')}
          groups={sources.map((source) => ({ label: t(source.label), options: source.choices.map((c) => ({ value: countedByValue({ source: source.kind, choice: c.value }), label: t(c.label) })) }))}
        />
        <LocalizedFields ctx={ctx} prefix="source" legend={t('impl.indicator.source')} values={values} errors={errors} />
        <button type="submit">{t('impl.save')}</button>
      </Form>
      {indicator && (
        <Section id="periods" title={t('impl.indicator.periods')}>
          <CountedFrom ctx={ctx} sources={sources} indicator={indicator} />
          <table>
            <thead>
              <tr>
                <th scope="col">{t('impl.indicator.period')}</th>
                <th scope="col">{t('impl.indicator.target')}</th>
                <th scope="col">{t('impl.indicator.actual')}</th>
              </tr>
            </thead>
            <tbody>
              {indicator.periods.map((p) => (
                <tr>
                  <th scope="row">{periodLabel(ctx, p)}</th>
                  <td class="num">{p.targetValue ?? ctx.text(p.targetText ?? {})}</td>
                  <td>
                    {indicator.countedBy !== null && <ReadingText ctx={ctx} indicator={indicator} reading={readingOf(indicator, p, ctx.locale)} />}
                    {indicator.countedBy === null &&
                      p.actuals.map((a) => (
                        <div>
                          {sideName(ctx, a.side)}: {a.value ?? ctx.text(a.text ?? {})} {a.confirmedAt ? `(${t('impl.reading.confirmed')})` : ''}
                          {!a.confirmedAt && indicator.scope === 'joint' && canConfirm(a.side) && (
                            <Form ctx={ctx} action={ctx.href(`/workspace/indicators/${indicator.id}/confirm`)} class="inline">
                              <input type="hidden" name="period" value={String(p.id)} />
                              <input type="hidden" name="side" value={a.side} />
                              <button type="submit" class="secondary">
                                {t('impl.reading.confirm')}
                              </button>
                            </Form>
                          )}
                        </div>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('impl.indicator.addPeriod')}</h3>
          <ErrorSummary ctx={ctx} errors={periodErrors} labels={{ startsOn: t('impl.form.startsOn'), endsOn: t('impl.form.endsOn'), target: t('impl.indicator.target') }} />
          <Form ctx={ctx} action={ctx.href(`/workspace/indicators/${indicator.id}/periods`)}>
            <TextField ctx={ctx} name="startsOn" type="date" label={t('impl.form.startsOn')} value={periodValues.startsOn ?? ''} error={periodErrors.startsOn} />
            <TextField ctx={ctx} name="endsOn" type="date" label={t('impl.form.endsOn')} value={periodValues.endsOn ?? ''} error={periodErrors.endsOn} />
            <TextField ctx={ctx} name="target" label={t('impl.indicator.target')} value={periodValues.target ?? ''} error={periodErrors.target} />
            <button type="submit">{t('impl.indicator.savePeriod')}</button>
          </Form>
        </Section>
      )}
    </Layout>
  );
}
