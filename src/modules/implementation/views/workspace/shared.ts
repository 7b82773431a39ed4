import type { FieldError } from '../../../../platform/http/forms.ts';
import type { MessageKey } from '../../../../platform/i18n/messages.ts';
import type { ProgressUpdate } from '../../queries/updates.ts';

/** What the workspace's forms are given again: the values typed, and the errors found in them. */
export type Errors = Partial<Record<string, FieldError>>;
export type Values = Record<string, string>;

/** The message key of an update's state. */
export const stateKey = (state: ProgressUpdate['state']) => `impl.update.state.${state}` as MessageKey & `impl.update.state.${string}`;
