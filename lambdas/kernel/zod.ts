import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini tree-shakes (a handler carries only the schemas it uses); English messages are loaded once here.
// Import it as a namespace (`import * as z from './zod.ts'`) so bundlers keep only what is used.
config(en());

export * from 'zod/mini';
