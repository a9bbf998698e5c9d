import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The web app's folder; the build lands in `dist/`, which the local API (and S3 on AWS) serves under `/app/`. */
export const WEB_DIR = dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = join(WEB_DIR, 'dist');

/**
 * Builds the CX team's web app with esbuild (already the project's bundler for Lambda): one minified ES module
 * and one stylesheet, no framework runtime beyond Preact. Takes well under a second.
 */
export async function buildWeb(outdir = WEB_DIST): Promise<void> {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { main: join(WEB_DIR, 'src/main.tsx') },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir,
    logLevel: 'warning',
    legalComments: 'none',
  });
  copyFileSync(join(WEB_DIR, 'index.html'), join(outdir, 'index.html'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWeb();
