/**
 * The dashboard's JSON API as types, shared by the server and the browser code. It imports types
 * only (erased at build time), so the browser bundle stays free of the library's Node modules.
 */
import type { EgsReplay } from '../deploy/egs-replay.js';
import type { Contradiction, InferenceStep } from '../logic/infer.js';

/** One run folder under the dashboard's folder, as the run list shows it. */
export interface RunSummary {
  /** The run's folder relative to the dashboard folder, with `/` separators (the run's id in the API). */
  id: string;
  /** Algorithm from `config.json` (`algo`), when recorded. */
  algo?: string;
  /** Environment id from `config.json` (`env`), when recorded. */
  env?: string;
  /** Seed from `config.json` (`seed`), when recorded. */
  seed?: number;
  /** Total steps the run was configured for (`config.json` `steps`). */
  plannedSteps?: number;
  /** Env steps logged so far: the step of the last `metrics.jsonl` line (0 when none). */
  steps: number;
  /** Mean return of the final held-out evaluation (`final-eval.json`), once the run has ended. */
  finalEval?: number;
  /** Standard deviation of the final evaluation's returns. */
  finalEvalStd?: number;
  /** Last periodic evaluation's mean return (`eval/mean_return` in `metrics.jsonl`). */
  lastEval?: number;
  /** When the metrics log last changed, in milliseconds since the Unix epoch. */
  updatedMs?: number;
  /** The folder two levels up or more holding several runs (a sweep), or undefined at top level. */
  group?: string;
}

/** A run's details: what the runs view needs beyond {@link RunSummary}. */
export interface RunDetail extends RunSummary {
  /** The whole `config.json`. */
  config: Record<string, unknown>;
  /** The `final-eval.json` document, when present. */
  evaluation?: Record<string, unknown>;
  /** Checkpoint folder names under `checkpoints/` (e.g. `step-4096`), oldest first. */
  checkpoints: string[];
}

/** A metrics line as written to `metrics.jsonl`: `step`, `wallTime` and the metric values (`null` = non-finite). */
export type MetricsLine = { step: number; wallTime?: number } & Record<string, number | null>;

/** A batch of metrics lines and the byte offset to continue reading from. */
export interface MetricsBatch {
  /** Complete lines read, in file order. */
  lines: MetricsLine[];
  /** Byte offset just after the last complete line read. */
  offset: number;
  /** True when the file shrank (a resumed run rewrote it): the lines replace all earlier ones. */
  reset?: boolean;
}

/** A DAG task file under the dashboard folder. */
export interface DagFileEntry {
  /** Path relative to the dashboard folder, `/` separators. */
  path: string;
  /** Size in bytes. */
  bytes: number;
}

/** What `POST /api/schedule` takes: a DAG from a file under the folder or uploaded text, and methods. */
export interface ScheduleRequest {
  /** A DAG file relative to the dashboard folder (one of `file` and `text`). */
  file?: string;
  /** DAG text (an upload). */
  text?: string;
  /** Format of `text` (default from `name`'s extension, else `json`). */
  format?: 'json' | 'stg' | 'dot';
  /** Name of the uploaded file (its extension gives the default format and the task name). */
  name?: string;
  /** Methods to run, by name (`graham`, `listsched`, `egs`, …). */
  methods: string[];
  /** Deadline override (default the task's). */
  deadline?: number;
  /** Time budget of each method in seconds (the MILP's time limit for `optimal`). */
  budgetS?: number;
}

/** One method's answer in a {@link ScheduleResponse}. */
export interface MethodAnswer {
  /** Method name. */
  method: string;
  /** The cells of the CLI's `schedule` table row, in the order of {@link ScheduleResponse.head}. */
  row: (string | number)[];
  /** Cores of the timetable (0 without one). */
  cores: number;
  /** Whether the method met the deadline with a timetable. */
  feasible: boolean;
  /** The timetable, as the CLI's `--json` prints it. */
  schedule: { node: string | number; core: number; start: number; finish: number }[];
  /** The Gantt chart SVG of the timetable (the CLI's `--gantt` renderer), when there is one. */
  gantt?: string;
  /** The method's note (why it declined, …). */
  note?: string;
  /** `(cores − optimum) / optimum`, for a timetable, when `optimal` ran and proved its count minimal. */
  gapToOptimum?: number;
}

/** What `POST /api/schedule` answers. */
export interface ScheduleResponse {
  /** Task name. */
  name: string;
  /** Node count. */
  nodes: number;
  /** Deadline the methods worked with. */
  deadline: number;
  /** Lower bound on the core count. */
  lowerBound: number;
  /** The proved minimal core count, when `optimal` ran and proved it. */
  optimum?: number;
  /** Column heads of the result table (the CLI's). */
  head: string[];
  /** One answer per requested method, in request order. */
  results: MethodAnswer[];
  /** The task drawn with a critical path and a maximum antichain (tasks of at most 300 nodes). */
  dagSvg?: string;
}

/** The methods the schedules view offers, and which it ticks by default. */
export interface MethodList {
  /** Every method name. */
  all: string[];
  /** The ones ticked at first (fast ones). */
  defaults: string[];
}

/** An error answer of the API. */
export interface ApiError {
  /** Stable error code. */
  code: string;
  /** A message a user can act on. */
  message: string;
  /** For invalid input: the file (relative to the folder, or the upload's name). */
  file?: string;
  /** For invalid input: the 1-based line in the file. */
  line?: number;
  /** For invalid input: the offending item (`trace[3]`, `node 'v3'`). */
  item?: string;
  /** For invalid input: the rule it breaks (`deadline`, `cycle`). */
  rule?: string;
}

/** What `POST /api/egs-replay` takes: the DAG as for scheduling, a shipped policy and a deadline. */
export interface EgsReplayRequest extends Pick<
  ScheduleRequest,
  'file' | 'text' | 'format' | 'name' | 'deadline'
> {
  /** The shipped policy: `small` (default, method `egs`) or `large` (`egs-search`'s). */
  model?: 'small' | 'large';
}

/** What `POST /api/egs-replay` answers: the greedy episode step by step and its Gantt chart. */
export interface EgsReplayAnswer extends Omit<EgsReplay, 'result'> {
  /** Which shipped policy ran. */
  model: 'small' | 'large';
  /** The task's node ids by index (a mask entry `i · n + j` is the edge `nodeIds[i] → nodeIds[j]`). */
  nodeIds: (string | number)[];
  /** Gantt chart SVG of the episode's timetable. */
  gantt: string;
  /** The task drawn (see `renderDagSvg`), on which the page draws the added edges; tasks ≤ 300 nodes. */
  dagSvg?: string;
}

/** What `POST /api/logic` takes: a knowledge base under the folder, a shipped example, or uploaded text. */
export interface LogicRequest {
  /** A knowledge base file relative to the dashboard folder. */
  file?: string;
  /** A shipped example by file name (see `GET /api/logic-files`). */
  example?: string;
  /** Knowledge base text (an upload). */
  text?: string;
  /** Name of the upload. */
  name?: string;
  /** PLNN: ignore the correlations J (plain Fréchet bounds), as `--frechet`. */
  frechet?: boolean;
}

/** The knowledge bases the logic view offers. */
export interface LogicFileList {
  /** Files under the dashboard folder. */
  files: DagFileEntry[];
  /** The shipped examples (file names), when the package has them. */
  examples: string[];
}

/** What `POST /api/logic` answers: the inference, its step log and contradictions, and the graph drawn. */
export interface LogicAnswer {
  /** Knowledge base name (or its file name). */
  name: string;
  /** `lnn` or `plnn`. */
  mode: string;
  /** Iterations run, and whether the fixed point was reached. */
  iterations: number;
  /** Whether the fixed point was reached. */
  converged: boolean;
  /** Every node with its formula and final bounds; `query` marks the knowledge base's queries. */
  nodes: {
    id: string;
    formula: string;
    lower: number;
    upper: number;
    contradicted: boolean;
    query: boolean;
  }[];
  /** Contradictions, in the order they arose. */
  contradictions: Contradiction[];
  /** The step log: which rule moved which bound of which node, from what to what. */
  steps: InferenceStep[];
  /** The graph with every node's final bounds (contradictions in red), as SVG. */
  svg: string;
}

/** The benchmark results the benchmarks view offers (`bench/results/` of the checkout). */
export interface BenchList {
  /** JSON result files, relative to the results folder. */
  tables: string[];
  /** SVG plots, relative to the results folder (shown from `GET /api/bench/plot?file=…`). */
  plots: string[];
}

/** One benchmark result file as tables: its scalar fields, and every array of records in it. */
export interface BenchTables {
  /** The file, relative to the results folder. */
  file: string;
  /** Top-level fields that are numbers, strings or booleans. */
  meta: Record<string, string | number | boolean>;
  /** Each array of objects in the file (at the top level or one level down), by its dotted key. */
  tables: { key: string; columns: string[]; rows: Record<string, unknown>[] }[];
}

/**
 * What `POST /api/hsoc-trace` takes: a workload (built-in, or a file under the folder), a load, a
 * seed and a policy.
 */
export interface HsocTraceRequest {
  /** Built-in workload (`5-task`, `av-42`); ignored when `file` is given. */
  workload?: string;
  /**
   * A workload file relative to the dashboard folder (see {@link HsocTraceOptions.files}): an HSoC
   * workload file, or a STOMP arrival trace (`.trc`) with its DAG files beside it. Runs on STOMP's
   * PE mix (3 CPU, 3 GPU, 3 FFT) with the load's background jobs and availability.
   */
  file?: string;
  /** Load preset (`light`, `medium`, `heavy`). */
  load: string;
  /** Episode seed (default 0). */
  seed?: number;
  /** Power-sharing policy (see {@link HsocTraceOptions.policies}). */
  policy: string;
  /** Workload jobs of a built-in workload's episode (default 12 for 5-task, 4 for av-42, as `bench hsoc`). */
  jobs?: number;
}

/** The choices the HSoC view offers. */
export interface HsocTraceOptions {
  /** Built-in workloads. */
  workloads: string[];
  /** Workload files under the folder: HSoC workload files and STOMP arrival traces (`.trc`). */
  files: DagFileEntry[];
  /** Load presets. */
  loads: string[];
  /** Policies (`lnn-rules` and `dynamic-rules` train the LNN rules briefly at their first use). */
  policies: string[];
}

/** One agent's decision in an HSoC trace. */
export interface HsocDecision {
  /** Simulated time of the decision. */
  time: number;
  /** PE index (into {@link HsocTraceAnswer.pes}). */
  pe: number;
  /** Token bin chosen (0 … 10: 0 … 100 %). */
  bin: number;
  /** Job id of the PE's task, when it holds one. */
  job?: number;
  /** Task index within the job's DAG, when the PE holds one. */
  task?: number;
  /** The rule that fired, or the policy's reason for the bin. */
  rule: string;
}

/** What `POST /api/hsoc-trace` answers: one episode as a timeline. */
export interface HsocTraceAnswer {
  /** Workload of the episode: the built-in name, or the workload file's name. */
  workload: string;
  /** The workload file, relative to the folder, when the episode ran one. */
  file?: string;
  /** Load preset. */
  load: string;
  /** Episode seed. */
  seed: number;
  /** Policy name. */
  policy: string;
  /** Workload jobs asked for (a file's: its trace's). */
  jobsAsked: number;
  /** PE names (`cpu0`, …), in index order. */
  pes: string[];
  /** Whether each PE is available at this load. */
  available: boolean[];
  /** The episode's metrics, as `runHsocEpisode` returns them. */
  metrics: {
    meanCompletion: number;
    deadlineMissRatio: number;
    jobs: number;
    makespan: number;
    decisions: number;
  };
  /** Decision times, ascending; the tokens granted at `times[i]` hold until `times[i + 1]` (or the end). */
  times: number[];
  /** Tokens granted to each PE at each decision time (`tokens[i][pe]`). */
  tokens: number[][];
  /** Every agent's decision, in time order (at most 20 000). */
  decisions: HsocDecision[];
  /** True when the decisions were cut at 20 000. */
  decisionsCut?: boolean;
  /** Every task that ran: its job, PE, start and finish. */
  tasks: { job: number; task: number; kind: string; pe: number; start: number; finish: number }[];
  /** Every job: kind (workload or background), arrival, deadline and completion. */
  jobs: { id: number; kind: string; arrival: number; deadline: number; completedAt: number }[];
}
