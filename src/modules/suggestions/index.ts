// The suggestions module's public API: all another module may import from it.

/** Taking a suggestion on another module's page (feedback after a symposium): its fields' rules, how long the sender's details are kept, recording it, and finding it again for the thank-you page. */
export { isRecordedFrom, purgeAfterMonths, recordSuggestion, SUGGESTION_TEXT_FORM, type SuggestionErrors, type SuggestionOrigin, type SuggestionTextField } from './record-suggestion.ts';
/** The form such a page shows: the suggestion's text, language, sender, privacy consent and honeypot. */
export { SuggestionForm } from './views/form.tsx';
