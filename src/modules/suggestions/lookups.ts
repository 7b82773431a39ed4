import type { AppContext } from '../../platform/module.ts';
import type { SuggestionsReadModel } from './read-model.ts';
import type { Lookups } from './views/parts.tsx';

/** What the module's pages look up on every rendering: commitments, areas, organisations, the time zone. */
export async function lookupsOf(ctx: AppContext, model: SuggestionsReadModel): Promise<Lookups> {
  const [commitments, areas, organisations] = await Promise.all([model.commitments(), model.areas(), model.organisations()]);
  return { commitments, areas, organisations, timeZone: ctx.config.timeZone };
}
