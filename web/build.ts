import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, buildSync } from 'esbuild';

/** The web app's folder; the build lands in `dist/`, which the local API (and S3 on AWS) serves under `/app/`. */
export const WEB_DIR = dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = join(WEB_DIR, 'dist');

const options = (outdir: string): BuildOptions => ({
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

/**
 * Builds the CX team's web app with esbuild (already the project's bundler for Lambda): one minified ES module
 * and one stylesheet, no framework runtime beyond Preact. Takes well under a second.
 */
export async function buildWeb(outdir = WEB_DIST): Promise<void> {
  mkdirSync(outdir, { recursive: true });
  await build(options(outdir));
  copyFileSync(join(WEB_DIR, 'index.html'), join(outdir, 'index.html'));
}

/** The same build, synchronously: CDK bundles assets while it constructs the stack (lib/workspace.ts). */
export function buildWebSync(outdir = WEB_DIST): void {
  mkdirSync(outdir, { recursive: true });
  buildSync(options(outdir));
  copyFileSync(join(WEB_DIR, 'index.html'), join(outdir, 'index.html'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWeb();
