// The admin module's public API: all another module may import from it.

/** The breadcrumb back to the administration hub, first on every module's /admin page. */
export { adminCrumb } from './views/pages.tsx';
