// Bundles the CLI into dist/cli/: main.js plus chunks for what it imports lazily. Loading ~900
// separate ES modules (Ink's es-toolkit alone is ~400 files) cost Node 400-800 ms at every start;
// a bundle is a handful of files. tsc only typechecks (npm run build runs it first).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

// Stay outside the bundle:
const external = [
  // native addons and the packages that find them at run time, loaded with createRequire
  'naudiodon',
  'speaker',
  'segfault-handler',
  'node-record-lpcm16',
  // loads its .wasm files from its own package folder
  'onnxruntime-web',
  // provider SDKs and the Redis store, imported lazily when a session uses them: left as packages
  // they cost nothing until then, and keep their own module layout
  '@elevenlabs/elevenlabs-js',
  '@deepgram/sdk',
  '@google/genai',
  '@keyv/redis',
  // looks for its optional native helpers (bufferutil, utf-8-validate) with require at run time
  'ws',
  // Ink's React DevTools hook, imported only when DEV=true; an optional peer, not installed
  'react-devtools-core',
];

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Every chunk sits beside main.js: code that finds files next to itself (the judge's harness
  // folder) finds them in dist/cli whichever chunk it lands in.
  chunkNames: '[name]-[hash]',
  external,
  // React's production build; the development one is several times slower.
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS packages inside an ES module bundle still call require() for Node's own modules.
  banner: { js: "import { createRequire as __vettaCreateRequire } from 'node:module'; const require = __vettaCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
