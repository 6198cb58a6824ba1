import { runDagBench } from './dag-bench.js';
import { runDeployBench } from './deploy-bench.js';
import { runEgsBench } from './egs-bench.js';
import { runEgsExpertIterationBench } from './egs-expert-iteration-bench.js';
import { runEgsLearnBench } from './egs-learn-bench.js';
import { runEgsSearchDevBench } from './egs-search-dev-bench.js';
import { runEgsScratchDevBench } from './egs-scratch-dev-bench.js';
import { runEgsSetBcDevBench } from './egs-setbc-dev-bench.js';
import { runEgsSetsBench } from './egs-sets.js';
import { runEgsSpeedBench } from './egs-speed-bench.js';
import { runEgsTrainLargeBench } from './egs-train-large-bench.js';
import { runEgsTrainLargeValidateBench } from './egs-train-large-validate-bench.js';
import { runEgsTrainSmallBench } from './egs-train-small-bench.js';
import { runEnvRunnersBench } from './env-runners-bench.js';
import { runHsocBench } from './hsoc-bench.js';
import { runLogicBench } from './logic-bench.js';
import { parseOd3AllArgs, runOd3AllBench } from './od3-all-bench.js';
import { parseOd3MlpArgs, runOd3Bench } from './od3-bench.js';
import { runOptimalProofBench } from './optimal-proof-bench.js';
import { parseOd3PixelArgs, runOd3PixelBench } from './od3-pixel-bench.js';
import { parseOd3SpeedArgs, runOd3SpeedBench } from './od3-speed-bench.js';
import { runRlBench } from './rl-bench.js';
import { runScaleBench } from './scale-bench.js';
import { runScaleOutBench } from './scale-out-bench.js';
import { runSoundnessBench } from './soundness-bench.js';
import { runSpeedBench } from './speed-bench.js';

// `npm run bench [-- dag | rl [sections…] | deploy [decisions=… roundMs=… repeats=…] | egs-sets [timeLimit=S] | egs [optimalLimit=S] | logic | hsoc [ppo-only] | od3 [key=value…] | od3 pixel [key=value…] | od3 mlp [key=value…] | od3-speed [key=value…] | scale [n…] | scale-out | soundness [key=value…] | speed [section… scale=… out=…] | egs-learn [key=value…] | egs-train-small [key=value…] | egs-train-large [key=value…] | egs-train-large-validate [old=… new=…] | egs-speed [key=value…] | egs-expert-iteration [key=value…] | env-runners | optimal-proof [bk=S opt=S] | egs-search-dev [per=… cache=… optimal=S] | egs-scratch-dev [per=… cache=…] | egs-setbc-dev [seeds=… per=…]]`:
// every benchmark writes its own bench/results/<name>.md. OD3 (its parts side by side, ~60 min), scale (~15 min, needs
// `npm run build`), scale-out (~3 min, needs redis-server), soundness (~10 min), speed (~30 min),
// egs-learn (~10 min), egs-train-small (~2 min), egs-train-large (~6 min), egs-train-large-validate (~10 s), egs-speed (~2 min), egs-expert-iteration (~40 min), env-runners (~4 min), optimal-proof (~5 min), egs-search-dev (~3 min), egs-scratch-dev (~1 min), egs-setbc-dev (~20 min), od3-speed (~1.5 min per repeat) and
// egs-sets (the set file `egs` reads) run only when named.
const [only, ...sections] = process.argv.slice(2);
if (!only || only === 'dag') await runDagBench();
if (!only || only === 'rl') await runRlBench(sections.length ? sections : undefined);
if (!only || only === 'deploy')
  await runDeployBench(
    Object.fromEntries(
      sections.map((a) => {
        const [key, value] = a.split('=');
        if (!['decisions', 'roundMs', 'repeats'].includes(key!) || value === undefined)
          throw new Error(`deploy bench: unknown argument ${a} (decisions=, roundMs=, repeats=)`);
        return [key, Number(value)];
      }),
    ),
  );
if (only === 'egs-sets') await runEgsSetsBench(sections);
if (!only || only === 'egs') await runEgsBench(only ? sections : []);
if (!only || only === 'logic') await runLogicBench();
if (!only || only === 'hsoc') await runHsocBench(only ? sections : []);
if (only === 'od3' && sections[0] === 'pixel') await runOd3PixelBench(parseOd3PixelArgs(sections.slice(1)));
else if (only === 'od3' && sections[0] === 'mlp') await runOd3Bench(parseOd3MlpArgs(sections.slice(1)));
else if (only === 'od3') await runOd3AllBench(parseOd3AllArgs(sections));
if (only === 'od3-speed') await runOd3SpeedBench(parseOd3SpeedArgs(sections));
if (only === 'scale') await runScaleBench(sections.map(Number));
if (only === 'scale-out') await runScaleOutBench();
if (only === 'soundness') await runSoundnessBench(sections);
if (only === 'speed') await runSpeedBench(sections);
if (only === 'egs-learn') await runEgsLearnBench(sections);
if (only === 'egs-train-small') await runEgsTrainSmallBench(sections);
if (only === 'egs-train-large') await runEgsTrainLargeBench(sections);
if (only === 'egs-train-large-validate') await runEgsTrainLargeValidateBench(sections);
if (only === 'egs-speed') await runEgsSpeedBench(sections);
if (only === 'egs-expert-iteration') await runEgsExpertIterationBench(sections);
if (only === 'env-runners') await runEnvRunnersBench();
if (only === 'optimal-proof') await runOptimalProofBench(sections);
if (only === 'egs-search-dev') await runEgsSearchDevBench(sections);
if (only === 'egs-scratch-dev') await runEgsScratchDevBench(sections);
if (only === 'egs-setbc-dev') await runEgsSetBcDevBench(sections);
