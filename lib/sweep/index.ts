/**
 * lib/sweep: experiments as data and the batch engine that runs them.
 *
 *   parameters.ts  the what-if knobs (name, type, unit, range, doc, parser), shared with the command line
 *   measures.ts    the kinds of measurement, their columns, and how one job runs
 *   experiment.ts  the YAML experiment format, errors with file:line
 *   runner.ts      the sweep: jobs on a worker pool (worker.ts), progress, abort, resume
 *   rows-file.ts   CSV / JSON Lines rows and the meta file beside them
 *   shards.ts      slices of the jobs, their file names, merging them
 *   summary.ts     the per-point summary and its text table
 */
export { PARAMETERS, RUNS, SEED, defaultSetup, parseFlag, type Parameter, type Knob, type KnobType, type Parsed, type ParseContext, type RunSetup } from './parameters';
export { MEASURES, JOB_COLUMNS, failoverOptionsOf, jobOf, runJob, type Measure, type Column, type ColumnKind, type ColumnUnit, type Row, type CellValue } from './measures';
export { loadExperiment, parseExperiment, experimentStem, type Experiment, type Point } from './experiment';
export { sweep, runExperiment, type SweepOptions, type SweepResult, type SweepProgress, type RunExperimentOptions } from './runner';
export { readRows, readMeta, metaPath, outputFormatOf, RowsWriter, SweepError, type SweepMeta, type OutputFormat } from './rows-file';
export { parseShard, shardJobs, shardOutput, mergeShards, type Shard } from './shards';
export { summarize, formatSummary, quantile, SummaryBuilder, type SummaryRow } from './summary';
// The draws of run r under common random numbers (lib/measure/monte-carlo.ts), as the sweep's jobs take them.
export { runDraw, type RunDraw } from '../measure/monte-carlo';
