// Builds the web app into dist/, which `fachwerk serve` serves from the same origin as the API
// (src/webapp). Asset names carry a content hash (cached as immutable); each asset also gets a
// gzip sibling (name.gz) that the server sends to clients that accept it.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

function gzipAssets(): Plugin {
  let outDir = 'dist';
  return {
    name: 'fachwerk-gzip-assets',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const walk = (dir: string): void => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if (statSync(path).isDirectory()) {
            walk(path);
          } else if (/\.(js|css|html|svg|json|txt|ttf)$/.test(name)) {
            const body = readFileSync(path);
            const gz = gzipSync(body, { level: 9 });
            if (gz.length < body.length) writeFileSync(`${path}.gz`, gz);
          }
        }
      };
      walk(outDir);
    },
  };
}

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0, // no data: URLs: fonts and images stay files under the CSP
    chunkSizeWarningLimit: 600,
  },
  plugins: [gzipAssets()],
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
