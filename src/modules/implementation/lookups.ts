import type { PageContext } from '../../platform/html/context.ts';
import { notFound } from '../../platform/http/errors.ts';
import { indicatorCountSources } from '../../platform/indicator-counts.ts';
import type { AppContext } from '../../platform/module.ts';
import { type Action, findAction } from './queries/actions.ts';
import type { ImplementationReadModel } from './read-model.ts';
import type { Organisations } from './views/parts.tsx';
import { type AreaInfo, commitmentCode, type CommitmentKey, commitmentLabel, findAreas } from '../agreements/index.ts';

/** What the module's pages look up again and again: organisations, areas, commitments, actions, and what indicators may count. */
export function lookups(ctx: AppContext, model: ImplementationReadModel) {
  const db = ctx.db.kysely;
  const areas = async (): Promise<AreaInfo[]> => findAreas(db);
  return {
    areas,
    /** The count sources of the app's modules: what a counted indicator counts, and where to see it. */
    countSources: indicatorCountSources(ctx.modules),
    organisationsMap: (): Promise<Organisations> => model.organisations(),
    commitmentByCode: async (code: string): Promise<CommitmentKey> => (await model.commitmentKeys()).find((c) => commitmentCode(c) === code) ?? notFound('commitment'),
    commitmentOf: async (id: number): Promise<CommitmentKey> => (await model.commitmentKeys()).find((c) => c.id === id) ?? notFound('commitment'),
    commitmentOptions: async (page: PageContext) => {
      const list = await areas();
      return (await model.commitmentKeys()).map((c) => ({ value: String(c.id), label: commitmentLabel(page, list, c) }));
    },
    loadAction: async (id: string): Promise<Action> => (await findAction(db, Number(id))) ?? notFound('action'),
  };
}
