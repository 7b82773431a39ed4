import { insertEnquiry } from './queries/cases.ts';
import { insertEvent } from './queries/timeline.ts';
import { COORDINATORS, EVERYONE, F, type ModuleMatrix, NOT_FOUND, O, type Outcome, S, SIGNED_IN } from '../../platform/access-matrix.ts';

/** The queue and a case: officers (of the handling agency) and coordinators, never administrators. */
const HANDLERS: Outcome[] = [S, F, F, O, O, F];
/** Assigning a case: the coordinators of its side only. */
const ASSIGNERS: Outcome[] = [S, F, F, F, O, F];
const N: Outcome = 'not-found';

/**
 * Enquiries: anyone sends one and follows it at /track (without a /track session the case pages send
 * them back to /track); the workspace is the officers' and coordinators'. The case tried is handled
 * by the matrix officer's agency (hk-fstb), on the Hong Kong side the matrix coordinator (hk-cmab)
 * oversees. Every POST is sent empty, so nothing changes.
 */
export const enquiriesMatrix: ModuleMatrix = {
  lines: {
    'GET /{lang}/enquiries/new': { url: '/en/enquiries/new', expect: EVERYONE },
    'POST /{lang}/enquiries/new': { url: '/en/enquiries/new', expect: EVERYONE },
    'GET /{lang}/enquiries/submitted': { url: '/en/enquiries/submitted', expect: EVERYONE, personal: true },
    'GET /{lang}/enquiries/mine': { url: '/en/enquiries/mine', expect: SIGNED_IN },
    'GET /{lang}/enquiries/statistics': { url: '/en/enquiries/statistics?year=2026', expect: EVERYONE },
    'GET /api/v1/enquiry-statistics': { url: '/api/v1/enquiry-statistics?year=2026', expect: EVERYONE },
    'GET /{lang}/track': { url: '/en/track', expect: EVERYONE },
    'POST /{lang}/track': { url: '/en/track', expect: EVERYONE },
    'POST /{lang}/track/code': { url: '/en/track/code', expect: EVERYONE },
    'GET /{lang}/track/case': { url: '/en/track/case', expect: EVERYONE, personal: true },
    'POST /{lang}/track/case/reply': { url: '/en/track/case/reply', expect: EVERYONE },
    'POST /{lang}/track/case/rating': { url: '/en/track/case/rating', expect: EVERYONE },
    'GET /track/case/files/:file/:name': { url: '/track/case/files/AAAAAAAAAAAAAAAAAAAAAAAAAAA/none.pdf', expect: NOT_FOUND, personal: true },
    'GET /{lang}/workspace/enquiries': { url: '/en/workspace/enquiries', expect: HANDLERS },
    'GET /{lang}/workspace/enquiries/settings': { url: '/en/workspace/enquiries/settings', expect: COORDINATORS },
    'POST /{lang}/workspace/enquiries/settings': { url: '/en/workspace/enquiries/settings', expect: COORDINATORS },
    'GET /{lang}/workspace/enquiries/:id': { url: '/en/workspace/enquiries/{enquiry}', expect: HANDLERS },
    'POST /{lang}/workspace/enquiries/:id/reply': { url: '/en/workspace/enquiries/{enquiry}/reply', expect: HANDLERS },
    'POST /{lang}/workspace/enquiries/:id/note': { url: '/en/workspace/enquiries/{enquiry}/note', expect: HANDLERS },
    'POST /{lang}/workspace/enquiries/:id/request-info': { url: '/en/workspace/enquiries/{enquiry}/request-info', expect: HANDLERS },
    'POST /{lang}/workspace/enquiries/:id/transfer': { url: '/en/workspace/enquiries/{enquiry}/transfer', expect: HANDLERS },
    'POST /{lang}/workspace/enquiries/:id/assign': { url: '/en/workspace/enquiries/{enquiry}/assign', expect: ASSIGNERS },
    'POST /{lang}/workspace/enquiries/:id/extend': { url: '/en/workspace/enquiries/{enquiry}/extend', expect: HANDLERS },
    'POST /{lang}/workspace/enquiries/:id/close': { url: '/en/workspace/enquiries/{enquiry}/close', expect: HANDLERS },
    'GET /workspace/enquiries/:id/files/:file/:name': { url: '/workspace/enquiries/{enquiry}/files/AAAAAAAAAAAAAAAAAAAAAAAAAAA/none.pdf', expect: [S, F, F, N, N, F] },
  },
  async setup(db) {
    const saved = await insertEnquiry(db, {
      type: 'enquiry',
      topicKey: 'other',
      subject: 'A question for the matrix',
      description: 'Who may see this?',
      locale: 'en',
      name: 'Matrix citizen',
      email: 'matrix-citizen@example.org',
      phone: null,
      userId: null,
      agencyId: 'hk-fstb',
      side: 'hong-kong',
      receivedOn: '2026-11-26',
      timeLimit: 3,
      dueOn: '2026-12-01',
    });
    await insertEvent(db, saved.id, {
      kind: 'received',
      actor: 'citizen',
      user_id: null,
      organisation_id: null,
      to_organisation_id: 'hk-fstb',
      body: null,
      days: null,
      outcome: null,
      visible_to_citizen: true,
    });
    return { enquiry: String(saved.id) };
  },
};
