/** The hosted cashier's presentation layer: languages, pure page renderers, static assets, CSP. See README.md. */
export * from './assets/index.ts';
export * from '../i18n/index.ts';
export * from './templates/index.ts';
