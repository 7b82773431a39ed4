import { type Static, Type as T } from '@sinclair/typebox';
import type { RouteAction } from '../../platform/auth/authorize.ts';
import type { SignedInRequest } from '../../platform/auth/plugin.ts';
import { fileForm } from '../../platform/files/uploads.ts';
import { FormBody } from './schemas.ts';

/** The options of the workspace's routes, shared by its files (workspace.tsx, workspace-records.tsx). */
export const workspace = { action: 'implementation.workspace' } as const;
/** A form posted by someone the action allows. */
export const post = (access: { action: RouteAction }) => ({ method: 'POST' as const, access, body: FormBody });
/** Forms with files (evidence, documents). */
export const upload = (access: { action: RouteAction }) => ({ ...post(access), config: { uploads: fileForm(MAX_UPDATE_FILES) } });
/** Evidence files with one update, and documents with one project agreement. */
export const MAX_UPDATE_FILES = 10;
/** A form's request from someone signed in. */
export type FormRequest = SignedInRequest<{ Body: Static<typeof FormBody> }>;
/** The query of a page shown again after a save (`?saved=…`). */
export const SavedQuery = T.Object({ saved: T.Optional(T.String({ maxLength: 20 })) });
