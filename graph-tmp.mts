import { staticImportGraph, heavyImports, isTensorFlow } from './test/helpers/import-graph.ts';
for (const root of process.argv.slice(2)) {
  const g = staticImportGraph([root]);
  const h = heavyImports(g, isTensorFlow);
  console.log(root, JSON.stringify(h).slice(0, 600));
}
