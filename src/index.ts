/**
 * Arbiter: deep reinforcement learning for real-time resource management.
 *
 * `arbiter` is the everything entry: it re-exports every subpath entry (`arbiter/core`,
 * `arbiter/dag`, `arbiter/logic`, `arbiter/envs`, `arbiter/deploy`, `arbiter/rl`) and adds the
 * reporting and experiment runners below. Loads TensorFlow.js (through `arbiter/rl`); import a
 * TF-free subpath for DAG, logic or deployment work. The web dashboard is not in it (it would load
 * Fastify): it is the subpath `arbiter/dashboard`. Every symbol carries its TSDoc at its
 * declaration.
 * @packageDocumentation
 */

export * from './entries/core.js';
export * from './entries/dag.js';
export * from './entries/logic.js';
export * from './entries/envs.js';
export * from './entries/deploy.js';
export * from './entries/rl.js';

// report
export { formatTable, formatNumber, type Align } from './report/table.js';
export { formatMarkdownTable } from './report/markdown-table.js';
export { renderGanttSvg, type GanttSvgOptions } from './report/gantt-svg.js';
export {
  SCHEDULE_TABLE_ALIGN,
  SCHEDULE_TABLE_HEAD,
  scheduleTableRow,
} from './report/schedule-result-table.js';

// report: training logs and plots
export { CsvMetricsSink, type CsvMetricsSinkOptions } from './report/csv-metrics-sink.js';
export { JsonlMetricsSink, readMetricsJsonl, type MetricsRecord } from './report/jsonl-metrics-sink.js';
export { TensorBoardSink, type TensorBoardSinkOptions } from './report/tensorboard-event-writer.js';
export { MultiSink } from './report/multi-sink.js';
export {
  createRunDirectory,
  openRunDirectory,
  readRunConfig,
  runPaths,
  type RunDirectory,
  type RunPaths,
} from './report/run-directory.js';
export { renderLinePlotSvg, type LinePlotOptions, type LinePlotSeries } from './report/line-plot-svg.js';
export {
  writeLearningCurve,
  type LearningCurveOptions,
  type LearningCurveResult,
} from './report/learning-curve.js';
export { svgToPng, type SvgToPngOptions } from './report/svg-to-png.js';

// experiments: one training run as the CLI does it
export {
  trainRun,
  evaluateAlgorithm,
  type TrainRunConfig,
  type TrainRunOptions,
  type TrainRunResult,
} from './experiments/train-run.js';

// report: logic graphs
export { renderLogicGraphSvg, type LogicGraphSvgOptions } from './report/logic-graph-svg.js';

// EGS benchmark
export {
  heldOutEgsSets,
  readEgsBenchmarkSet,
  tightDeadline,
  tightEgsSets,
  type EgsBenchmarkSet,
  type TightEgsSetsOptions,
} from './experiments/egs-benchmark-sets.js';
export {
  egsAblationSets,
  runEgsLearnAblation,
  EGS_ABLATION_VARIANTS,
  egsVariantName,
  type EgsAblationSet,
  type EgsAblationConfig,
} from './experiments/egs-learn-ablation.js';
export {
  egsAblationTables,
  egsAblationTraining,
  type EgsAblationRow,
  type EgsAblationTraining,
} from './report/egs-ablation-report.js';
export {
  EGS_BENCHMARK_METHODS,
  runEgsBenchmark,
  summarizeEgsBenchmark,
  type EgsBenchmarkOptions,
  type EgsBenchmarkRow,
} from './experiments/egs-benchmark.js';
export {
  egsBenchmarkTables,
  egsBenchmarkText,
  egsAcceptanceSvg,
  type EgsBenchmarkSummary,
} from './report/egs-benchmark-report.js';

// experiments: one OD3 distillation run
export {
  distillRun,
  type DistillRunOptions,
  type DistillRunResult,
  type DistillRunConfig,
} from './experiments/distill-run.js';

// HSoC benchmark, EGS imitation
export { runHsocBenchmark, type HsocBenchmarkOptions } from './experiments/hsoc-benchmark.js';
export { trainPpoBaseline } from './experiments/hsoc-ppo-baseline.js';
export {
  HsocEvalPanel,
  type HsocEvalPanelOptions,
  type HsocEvalCell,
  type HsocPanelEvaluation,
} from './experiments/hsoc-eval-panel.js';
export {
  trainPpoUntilFlat,
  type PpoUntilFlatOptions,
  type PpoUntilFlatResult,
  type PpoCurvePoint,
} from './experiments/hsoc-ppo-until-flat.js';
export {
  lnnRuleLearningCurves,
  type LnnLearningCurveOptions,
  type LnnLearningCurve,
  type LnnCurvePoint,
} from './experiments/hsoc-lnn-learning-curve.js';
export {
  HSOC_PPO_SECTION_HEADING,
  hsocLearningEfficiencyMarkdown,
  stepsToReachText,
  type HsocLearningEfficiencyReport,
  type HsocPanelPoint,
} from './report/hsoc-learning-efficiency-markdown.js';
export { measureHsocDecisionLatency } from './experiments/hsoc-decision-latency.js';
export {
  LOWER_BOUND,
  STATIC_TARGET,
  profiledTrainingEnv,
  runHsocProfiledComparison,
  type HsocProfiledComparisonOptions,
} from './experiments/hsoc-profiled-comparison.js';
export { type HsocProfiledRow } from './report/hsoc-profiled-row.js';
export {
  hsocProfiledClaims,
  hsocProfiledMarkdown,
  hsocProfiledRowLine,
  type HsocProfiledReport,
} from './report/hsoc-profiled-markdown.js';
export { type HsocBenchmarkRow, type HsocBenchmarkResult } from './report/hsoc-benchmark-result.js';
export { hsocBenchmarkMarkdown, hsocAcceptance, hsocPresetTable } from './report/hsoc-benchmark-markdown.js';
export { hsocBarChartSpec, renderHsocBarChartSvg } from './report/hsoc-bar-chart.js';
export {
  collectEgsDemonstrations,
  collectTeacherDemonstrations,
  sampleTrainingDags,
  cloneEgsExpert,
  type EgsDemonstrations,
  type TeacherDemonstrations,
  type CollectEgsDemonstrationsOptions,
  type CollectTeacherDemonstrationsOptions,
  type SampleTrainingDagsOptions,
  type CloneEgsExpertOptions,
} from './experiments/egs-imitation.js';

// sweeps: grid / seeded random search of training runs, on local processes or queue workers
export { canonicalJson } from './core/canonical-json.js';
export {
  parseSweepSpec,
  readSweepSpec,
  type SweepSpec,
  type SweepRandom,
  type SweepDistribution,
} from './distributed/sweep-spec.js';
export { expandSweep, applyParams } from './distributed/expand-sweep.js';
export { trialId, parseSweepTrial, SWEEP_TRIAL_SCHEMA, type SweepTrial } from './distributed/sweep-trial.js';
export {
  runTrial,
  readTrialResult,
  trialDir,
  TRIAL_RESULT_FILE,
  type TrialResult,
  type TrialOutcome,
} from './distributed/run-trial.js';
export { TrialPool, TrialFailedError, type TrialPoolOptions } from './distributed/trial-pool.js';
export {
  SweepSummary,
  bestTrial,
  type SweepSummaryData,
  type TrialFailure,
} from './distributed/sweep-summary.js';
export {
  runSweep,
  type RunSweepOptions,
  type RunSweepResult,
  type SweepTrialEvent,
  type TrialDispatcher,
} from './distributed/run-sweep.js';
export {
  sweepMarkdown,
  sweepPlotSvg,
  type SweepReport,
  type SweepReportTrial,
  type SweepReportFailure,
} from './report/sweep-report.js';
export {
  TrialQueueDispatcher,
  queueConnection,
  parseTrainTrialPayload,
  TRIAL_QUEUE_NAME,
  TRAIN_TRIAL_JOB,
  type TrialQueueOptions,
  type TrainTrialPayload,
} from './distributed/trial-queue.js';
export { startTrialWorker, type TrialWorker, type TrialWorkerOptions } from './distributed/trial-worker.js';

// env runners: on-policy rollouts on local threads or queue workers (RLlib's env-runner pattern)
export {
  EnvRunner,
  runnerSlices,
  mergeRunnerRollouts,
  type RunnerEnvSpec,
  type RunnerSlice,
  type RunnerRolloutRequest,
} from './distributed/env-runner.js';
export { EnvRunnerError } from './distributed/env-runner-error.js';
export { runnerWeightsOf } from './distributed/policy-runner-weights.js';
export {
  decodeRunnerNet,
  type RunnerWeights,
  type MlpRunnerWeights,
  type GraphRunnerWeights,
  type RunnerNet,
} from './distributed/env-runner-weights.js';
export {
  LocalEnvRunners,
  EnvRunnerThread,
  type LocalEnvRunnersOptions,
} from './distributed/env-runner-pool.js';
export {
  QueueEnvRunners,
  ENV_RUNNER_JOB,
  type QueueEnvRunnersOptions,
  type EnvRunnerPayload,
} from './distributed/env-runner-queue.js';
export { PipelinedRollouts } from './distributed/pipelined-rollouts.js';
export { parseRedisUrl, redactRedisUrl, type RedisUrlOptions } from './distributed/redis-url.js';
