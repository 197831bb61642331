/**
 * The layers, one way: cli -> ui, replay, store -> interview -> pipeline -> providers, audio,
 * problems, sandbox -> core. A module may import its own layer and any layer below it; the leaves
 * import only core besides themselves. `npm test` runs this first (npm run lint:layers): a wrong-way import fails CI.
 */
const LAYER = {
  cli: 0,
  ui: 1,
  replay: 1,
  store: 1,
  interview: 2,
  pipeline: 3,
  providers: 4,
  audio: 4,
  problems: 4,
  sandbox: 4,
  core: 5,
};
const layers = Object.keys(LAYER);

/** For each layer, the layers it must not import: those above it, and at its own level the others. */
const forbidden = layers.map((from) => {
  const banned = layers.filter((to) => to !== from && LAYER[to] <= LAYER[from]);
  return {
    name: `${from}-imports-one-way`,
    comment: `src/${from} may import only src/${layers.filter((to) => to === from || LAYER[to] > LAYER[from]).join(', src/')}`,
    severity: 'error',
    from: { path: `^src/${from}/` },
    to: { path: `^src/(${banned.join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    ...forbidden,
    { name: 'no-cycles', comment: 'modules import each other in a loop', severity: 'error', from: { path: '^src/' }, to: { circular: true } },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    // dependency-cruiser's swc parser reads TypeScript without JSX (and its tsc parser does not
    // support TypeScript 7): the three Ink views in src/ui/*.tsx are not cruised.
    exclude: { path: '\\.tsx$' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
