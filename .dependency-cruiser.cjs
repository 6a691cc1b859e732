// The layer rules of ARCHITECTURE.md, checked by `npm run lint` and by
// __tests__/architecture.test.ts. Paths are relative to the folder depcruise runs in.
const EDGES = '(github|local|registry|smoke)';
const LOWER = `(core|operations|${EDGES.slice(1, -1)})`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment:
        'src/core imports only src/core, yaml and node:crypto (hashing is pure): no I/O, no other package, no other Node built-in.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/', '(^|/)node_modules/yaml/', '^crypto$'] },
    },
    {
      name: 'operations-import-core-only',
      comment:
        'src/operations works over storage interfaces: it imports src/core, never an edge or an entry.',
      severity: 'error',
      from: { path: '^src/operations/' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/operations/'] },
    },
    {
      name: 'edges-import-core-and-operation-interfaces',
      comment:
        'An edge (github, local, registry, smoke) imports src/core and only the types of src/operations (the interfaces it implements).',
      severity: 'error',
      from: { path: `^src/${EDGES}/` },
      to: { path: '^src/operations/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'edges-are-independent',
      comment: 'One edge never imports another: each kind of I/O stands alone.',
      severity: 'error',
      from: { path: `^src/${EDGES}/` },
      to: { path: `^src/${EDGES}/`, pathNot: '^src/$1/' },
    },
    {
      name: 'lower-layers-never-import-entries',
      comment: 'core, operations and the edges never import src/actions, src/cli or src/runtime.',
      severity: 'error',
      from: { path: `^src/${LOWER}/` },
      to: { path: '^src/(actions|cli|runtime)/' },
    },
    {
      name: 'entries-never-import-each-other',
      comment: 'The actions and the CLI share what lies below them, not each other.',
      severity: 'error',
      from: { path: '^src/actions/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'cli-never-imports-actions',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/actions/' },
    },
    {
      name: 'no-module-imports-an-entry-file',
      comment: 'src/actions/<action>.ts and src/cli/main.ts are run, never imported.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: ['^src/actions/[^/]+[.]ts$', '^src/cli/main[.]ts$'] },
    },
    {
      name: 'actions-toolkit-only-in-actions',
      comment: '@actions/* is the runner interface: only src/actions reads inputs and writes outputs.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/actions/' },
      to: { path: '(^|/)node_modules/@actions/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
