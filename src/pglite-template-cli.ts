import { START_PARAMS } from './db/pglite.js';
import { ensureTemplate } from './db/pglite-init.js';

/**
 * `npm run build`'s last step: the embedded database's template (src/db/pglite-init.ts), made unless it exists, so
 * that a new DATA_DIR in this build (or the image made from it) starts from a copy rather than an initdb.
 */
const started = Date.now();
const { template, helperPeakMiB } = await ensureTemplate(START_PARAMS);
const made = helperPeakMiB === undefined ? 'is there' : `made in ${((Date.now() - started) / 1000).toFixed(1)} s`;
console.log(`embedded database template ${made}: ${template}`);
