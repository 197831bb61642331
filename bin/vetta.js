#!/usr/bin/env node
// Checked before anything else loads: on an older Node the failures come later and make no sense.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `vetta: needs Node.js 22.13 or newer, and this is ${process.versions.node}; install Node 22 (for example: npm install --prefix ~/.node22 node@22, then put ~/.node22/node_modules/.bin first on PATH)\n`,
  );
  process.exit(2);
}
// React's development build is several times slower and only useful to React developers.
process.env.NODE_ENV ??= 'production';
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
