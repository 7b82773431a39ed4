import type { PageContext } from '../../../../platform/html/context.ts';
import type { LocalizedText } from '../../../../platform/i18n/locales.ts';
import type { IndicatorCountSource } from '../../../../platform/indicator-counts.ts';
import type { ActionNode, CommitmentImplementation } from '../../read-model.ts';
import { ActionList, IndicatorFigure, type Organisations, ProjectAgreementList, UpdateHistory } from '../parts.tsx';

/** The implementation section of a commitment's page. */
export function CommitmentImplementationSection({
  ctx,
  sources,
  data,
  organisations,
  today,
}: {
  ctx: PageContext;
  /** The app's count sources: what a counted indicator counts, and where to see it. */
  sources: readonly IndicatorCountSource[];
  data: CommitmentImplementation;
  organisations: Organisations;
  today: string;
}) {
  const { t } = ctx;
  return (
    <section aria-labelledby="implementation" class="implementation">
      <h2 id="implementation">{t('impl.section')}</h2>
      {data.actions.length === 0 ? <p>{t('impl.actions.none')}</p> : <ActionList ctx={ctx} actions={data.actions} organisations={organisations} today={today} />}
      {data.indicators.length > 0 && (
        <>
          <h3>{t('impl.indicators')}</h3>
          {data.indicators.map((i) => (
            <IndicatorFigure ctx={ctx} sources={sources} indicator={i} headingLevel={4} recent={{ periods: 8, today }} />
          ))}
        </>
      )}
      <h3>{t('impl.projectAgreements')}</h3>
      <ProjectAgreementList ctx={ctx} agreements={data.projectAgreements} organisations={organisations} />
      <h3>{t('impl.history')}</h3>
      <UpdateHistory ctx={ctx} updates={data.history} organisations={organisations} actionTitles={titlesOf(data.actions)} />
    </section>
  );
}

function titlesOf(nodes: ActionNode[], into = new Map<number, LocalizedText>()): Map<number, LocalizedText> {
  for (const n of nodes) {
    into.set(n.id, n.title);
    titlesOf(n.children, into);
  }
  return into;
}
