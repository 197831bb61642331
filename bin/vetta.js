#!/usr/bin/env node
// Checked before anything else loads: on an older Node the failures come later and make no sense.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `vetta: needs Node.js 22.13 or newer, and this is ${process.versions.node}; install Node 22 (for example: npm install --prefix ~/.node22 node@22, then put ~/.node22/node_modules/.bin first on PATH)\n`,
  );
  process.exit(2);
}
// React's development build is several times slower and only useful to React developers (the
// bundle has React's production build compiled in; this covers anything that reads it at run time).
process.env.NODE_ENV ??= 'production';
// V8 keeps the compiled bundle on disk (in the temporary folder) for the next start: compiling
// it costs ~30 ms each time otherwise. Where that folder is not writable it quietly does nothing.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
// A reader that stops early (`vetta problems list | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
// One bundle (scripts/bundle.js): a few files to load instead of hundreds of modules.
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
