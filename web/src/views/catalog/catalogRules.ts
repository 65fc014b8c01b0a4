/** What the catalog dialogs check as the admin types: the API's rules (core/catalog.ts, handlers' code schema). */
export const CATALOG_CODE = /^[A-Za-z0-9_-]{1,40}$/;
export const CATALOG_NAME_MAX = 60;
export const CATEGORY_DESCRIPTION_MAX = 200;
export const CONTACT_LABEL_MAX = 20;
export const CONTACT_NAME_MAX = 40;
