import { runDagBench } from './dag-bench.js';

// `npm run bench`: every benchmark writes its own bench/results/<name>.md.
const only = process.argv[2];
if (!only || only === 'dag') await runDagBench();
