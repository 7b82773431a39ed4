import { EVERYONE, F, O, type ModuleMatrix, S } from '../../src/platform/access-matrix.ts';
import { definePolicy, type PolicyResources } from '../../src/platform/auth/authorize.ts';
import { hasRole } from '../../src/platform/auth/roles.ts';
import { Layout, renderPage } from '../../src/platform/html/layout.tsx';
import { pageRoute } from '../../src/platform/http/pages.ts';
import { defineMessages } from '../../src/platform/i18n/messages.ts';
import type { ModuleManifest } from '../../src/platform/module.ts';

/**
 * A small module that declares one of everything a manifest offers, for the test that checks each
 * reaches the whole without a central file knowing it (test/fixture-module.test.ts).
 */

export const fixtureMessages = defineMessages({
  en: {
    'fixture.title': 'Fixture register',
    'fixture.admin': 'Fixture settings',
    'fixture.tile': 'Fixture queue',
    'fixture.section': 'Fixture records',
    'fixture.count': (p: { n: number }) => (p.n === 1 ? 'One fixture record' : `${p.n} fixture records`),
    'fixture.openData': 'Fixture records (JSON)',
    'fixture.inbox': (p: { n: number }) => `${p.n} fixture records to check`,
    'fixture.footer': 'Fixture charter',
  },
  'zh-Hant': {
    'fixture.title': '測試登記冊',
    'fixture.admin': '測試設定',
    'fixture.tile': '測試工作隊列',
    'fixture.section': '測試紀錄',
    'fixture.count': (p: { n: number }) => `${p.n} 項測試紀錄`,
    'fixture.openData': '測試紀錄（JSON）',
    'fixture.inbox': (p: { n: number }) => `${p.n} 項測試紀錄待核對`,
    'fixture.footer': '測試約章',
  },
  'zh-Hans': {
    'fixture.title': '测试登记册',
    'fixture.admin': '测试设定',
    'fixture.tile': '测试工作队列',
    'fixture.section': '测试纪录',
    'fixture.count': (p: { n: number }) => `${p.n} 项测试纪录`,
    'fixture.openData': '测试纪录（JSON）',
    'fixture.inbox': (p: { n: number }) => `${p.n} 项测试纪录待核对`,
    'fixture.footer': '测试约章',
  },
});

type FixtureMessages = typeof fixtureMessages.en;
declare module '../../src/platform/i18n/messages.ts' {
  interface MessageCatalogue extends FixtureMessages {}
}

export const fixturePolicy = definePolicy({
  /** The fixture's workspace and settings: coordinators only. */
  'fixture.manage': (p) => hasRole(p, 'custodian-coordinator'),
});

declare module '../../src/platform/auth/authorize.ts' {
  interface Policies extends PolicyResources<typeof fixturePolicy> {}
}

const manage = { action: 'fixture.manage' } as const;

export const fixtureMatrix: ModuleMatrix = {
  lines: {
    'GET /{lang}/fixture': { url: '/en/fixture', expect: EVERYONE },
    'GET /{lang}/workspace/fixture': { url: '/en/workspace/fixture', expect: [S, F, F, F, O, F] },
    'GET /api/v1/fixture': { url: '/api/v1/fixture', expect: EVERYONE },
  },
};

export const fixtureModule: ModuleManifest = {
  name: 'fixture',
  messages: fixtureMessages,
  policy: fixturePolicy,
  nav: [{ label: 'fixture.title', path: '/fixture', order: 55 }],
  footer: [{ label: 'fixture.footer', path: '/fixture', order: 15 }],
  adminLinks: [{ label: 'fixture.admin', path: '/workspace/fixture', action: 'fixture.manage', order: 75 }],
  workspaceTiles: [{ label: 'fixture.tile', path: '/workspace/fixture', action: 'fixture.manage', order: 45 }],
  commitmentSection: () => ({
    order: 25,
    async load(ref, page) {
      return {
        stamp: 'fixture',
        render: () => (
          <section aria-labelledby="fixture-records">
            <h2 id="fixture-records">{page.t('fixture.section')}</h2>
            <p>{page.t('fixture.count', { n: ref.number })}</p>
          </section>
        ),
      };
    },
  }),
  openApiTags: [{ name: 'Fixture', description: 'The fixture module’s records' }],
  openData: [{ label: 'fixture.openData', path: '/api/v1/fixture', order: 99 }],
  inbox: [{ label: 'fixture.inbox', path: '/workspace/fixture', action: 'fixture.manage', order: 99, count: async () => 2 }],
  matrix: async () => fixtureMatrix,
  routes(app, ctx) {
    pageRoute(app, ctx.assets, '/fixture', {}, async (_request, _reply, page) =>
      renderPage(
        <Layout ctx={page} title={page.t('fixture.title')}>
          <h1>{page.t('fixture.title')}</h1>
        </Layout>,
      ),
    );
    pageRoute(app, ctx.assets, '/workspace/fixture', { access: manage }, async (_request, _reply, page) =>
      renderPage(
        <Layout ctx={page} title={page.t('fixture.tile')}>
          <h1>{page.t('fixture.tile')}</h1>
        </Layout>,
      ),
    );
    app.get('/api/v1/fixture', { config: { access: 'public' }, schema: { tags: ['Fixture'], summary: 'The fixture’s records', operationId: 'listFixture' } }, async () => ({ items: [] }));
  },
};
