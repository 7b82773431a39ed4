import type { PageContext } from '../../../../platform/html/context.ts';
import { Layout } from '../../../../platform/html/layout.tsx';
import { Localized, LocalizedBlock } from '../../../../platform/html/localized.tsx';
import { type AreaInfo, commitmentLabel, type CommitmentKey, commitmentPath } from '../../../agreements/index.ts';
import type { ProjectAgreement } from '../../queries/project-agreements.ts';
import { filePath, formatBytes, Illustrative, type Organisations, partiesText, ProjectAgreementList, Section } from '../parts.tsx';

export function ProjectAgreementsPage({ ctx, agreements, organisations }: { ctx: PageContext; agreements: ProjectAgreement[]; organisations: Organisations }) {
  return (
    <Layout ctx={ctx} title={ctx.t('impl.projectAgreements')} breadcrumbs={[{ label: ctx.t('impl.projectAgreements') }]}>
      <h1>{ctx.t('impl.projectAgreements')}</h1>
      <p class="lead">{ctx.t('impl.projectAgreements.intro')}</p>
      <ProjectAgreementList ctx={ctx} agreements={agreements} organisations={organisations} />
    </Layout>
  );
}

export function ProjectAgreementPage({
  ctx,
  agreement,
  organisations,
  commitments,
  areas,
}: {
  ctx: PageContext;
  agreement: ProjectAgreement;
  organisations: Organisations;
  commitments: CommitmentKey[];
  areas: AreaInfo[];
}) {
  const { t } = ctx;
  const title = ctx.text(agreement.title);
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('impl.projectAgreements'), href: ctx.href('/project-agreements') }, { label: title }]}>
      <h1>
        <Localized ctx={ctx} text={agreement.title} />
      </h1>
      <p>
        <span class="badge">{t(`impl.projectAgreement.status.${agreement.status}`)}</span> <Illustrative ctx={ctx} show={agreement.illustrative} />
      </p>
      <dl class="facts">
        <dt>{t('impl.reference')}</dt>
        <dd>{agreement.reference}</dd>
        <dt>{t('impl.projectAgreement.parties')}</dt>
        <dd>{partiesText(ctx, organisations, agreement)}</dd>
        <dt>{t('impl.projectAgreement.signed')}</dt>
        <dd>
          {ctx.date(agreement.signedOn)}
          {Object.keys(agreement.signedPlace).length > 0 && (
            <>
              {', '}
              <Localized ctx={ctx} text={agreement.signedPlace} />
            </>
          )}
        </dd>
        {(agreement.startsOn || agreement.endsOn) && (
          <>
            <dt>{t('impl.projectAgreement.term')}</dt>
            <dd>
              {agreement.startsOn ? ctx.date(agreement.startsOn) : '…'} – {agreement.endsOn ? ctx.date(agreement.endsOn) : '…'}
            </dd>
          </>
        )}
        <dt>{t('impl.projectAgreement.commitments')}</dt>
        <dd>
          <ul>
            {agreement.commitmentIds.map((id) => {
              const c = commitments.find((k) => k.id === id);
              return c ? (
                <li>
                  <a href={ctx.href(commitmentPath(c))}>{commitmentLabel(ctx, areas, c)}</a>
                </li>
              ) : null;
            })}
          </ul>
        </dd>
        {agreement.sourceUrl && (
          <>
            <dt>{t('impl.source')}</dt>
            <dd>
              <a href={agreement.sourceUrl}>{agreement.sourceUrl}</a>
            </dd>
          </>
        )}
      </dl>
      <LocalizedBlock ctx={ctx} text={agreement.summary} />
      {agreement.documents.length > 0 && (
        <Section id="documents" title={t('impl.documents')}>
          <ul class="attachments">
            {agreement.documents.map((f) => (
              <li>
                <a href={filePath(f)}>{f.name}</a> ({formatBytes(f.size)})
              </li>
            ))}
          </ul>
        </Section>
      )}
    </Layout>
  );
}
