/**
 * anycast-lab's public API: what notebooks, scripts and the REPL import. Layers below re-export
 * through here; deep imports (`anycast-lab/dist/...`) are not part of the API.
 */
export * from './sim';
export * from './wire';
export * from './proto';
export { Network, NetNode, Interface, Segment, Capture, STACK_PROFILES, syntheticMac, wireLength } from './net';
export type { StackProfile, UdpSocket, UdpMeta, UdpHandlers, Service, SendOptions, CapturedFrame, StackEvent } from './net';
export * from './config';
// Both the config schema and the RIP state machine name the split-horizon modes; they are the same three.
export type { SplitHorizonMode } from './proto';
export { Lab, buildNetwork, loopbackAliases, DEFAULT_EXEC_TIME, type LabOptions, type LoadOptions, type ExecOptions } from './lab/lab';
export { parseFailure, formatFailure, FailureError, FAILURE_MODES, type FailureSpec, type FailureMode } from './config/failures';
export { parseConfigChange, formatConfigChange, changeAsVtysh, ConfigChangeError, type ConfigChange, type AppliedLine } from './lab/live-config';
export { parseScript, loadScript, ScriptError, type ScriptStep } from './config/script';
export { ApiError } from './config/api-error';
export { LabFileError, type LabFileProblem } from './config/errors';
export { routeRows, addressPlan, type AddressPlanRow } from './lab/rows';
export { ExecError, showIpRoute, netstatRn } from './lab/consoles/index';
export { labPath } from './config/paths';
export { RouteLog, parsePrefix, type RouteChangeRow, type RouteLogQuery, type RouteEvent } from './lab/route-log';
export { attachRoutingDaemons, ripConfigFromSpec } from './lab/routing';
export { withRipProfile, withRipTimers, parseRipTimers, withIosPoison, type IosPoisonReading } from './config/overrides';
export { chainLab, gridLab } from './config/generators';
export { attachDnsServices, nodeDns, namedOf, makeConfigZones, type DnsAttachOptions, type NodeDns } from './lab/dns';
export { timeLookups, resolverExperiment, type LookupCase, type LookupExperiment, type ResolverExperimentOptions, type ResolverExperimentResult, type ResolverSummary } from './measure/lookups';
export { packetRows, formatPacketList, packetDetails, packetHexdump, type PacketRow } from './lab/capture-view';
export { parseDnsInputFile, makeConfig, zoneFileText, zoneFileName, parseNamedOptions, parseResolvConf, parseResolvConfStrict, withResolvOptions, withAllowRecursion, DEBIAN_NAMED_CONF_OPTIONS, type DnsInputEntry } from './config/dns';
export * from './plot';
export { doctor, formatDoctorFinding, type DoctorFinding, type DoctorCode } from './config/doctor';
export { namedBootPlan, BIND_BEFORE_LO0_OPTION, type NamedBootPlan, type NamedStartStep, type AddressStep } from './config/node-dns';
export { startPingProbe, startNslookupLoop, startDnsProbe, serversByAnswer, singleTry, lookupResult, type DnsProbeOptions, type PingProbeOptions, type NslookupLoopOptions, type Probe } from './measure/probes';
export { measureFailover, failoverDistribution, failoverRun, type FailoverOptions, type FailoverResult, type FailoverDistributionOptions, type FailoverDistribution } from './measure/failover';
export { instantStream, commonRandomNumbers, failureWindow, monteCarloRun, trialOf, type DrawStrategy, type MonteCarloPlan, type Trial } from './measure/monte-carlo';
export { loadExperiment, parseExperiment, runJob, runDraw, experimentStem, PARAMETERS, MEASURES, JOB_COLUMNS, type Experiment, type Point, type RunSetup, type Parameter, type Measure, type Column, type ColumnKind, type ColumnUnit, type Row, type CellValue, type RunDraw } from './sweep';
export { RUNS, SEED, defaultSetup, parseFlag, failoverOptionsOf, jobOf, RowsWriter, type Knob, type KnobType } from './sweep';
export { sweep, runExperiment, summarize, mergeShards, readRows, formatSummary, quantile, parseShard, shardJobs, shardOutput, metaPath, outputFormatOf, SummaryBuilder, SweepError, type SweepOptions, type SweepResult, type SweepProgress, type SweepMeta, type SummaryRow, type Shard, type OutputFormat, type RunExperimentOptions } from './sweep';
export { clientMoves, type ClientMovesOptions } from './measure/moves';
export { traceRun, describeFrame, type RunTrace, type TraceOptions, type TracePacket, type TraceRouteEntry, type TraceArpEntry } from './measure/trace';
export { attachHealthCheck, attachHealthChecks, HealthCheckService, type HealthCheckOptions, type HealthCheckEvent } from './measure/health-check';
export { startRipTrafficMeter, type RipTrafficMeter } from './measure/rip-traffic';
export { bfdWhatIf, summarizeBfdWhatIf, type BfdWhatIfSummary, bfdLinkCosts, bfdOptionSpec, BFD_OPTIONS, BFD_FRAME_BYTES, type BfdOption, type BfdWhatIfOptions, type BfdWhatIfResult, type BfdWhatIfRow, type BfdLinkCost } from './measure/bfd-whatif';
export { median, type OutageSummary, type RunOutcome, type ClientMoveRow, type DnsProbeRow, type FailoverOutcome, type FailoverPhase, type FailoverPhaseName, type FailoverRun, type LookupTiming, type NslookupRow, type PingRow, type ResolverLookupRow, type RipTrafficRow, type RouteRow, failoverOutcome, failoverPhases, failoverRunRow, outageSummary } from './results';
export { simulatedColdStarts, simulatedFailoverRuns, pingTtl, type SimulatedFailoverRunsOptions } from './measure/compare-runs';
export * from './real';
export { SHOW_COMMANDS, normaliseShow, showDiff, compareShow, featureSummary, formatFeatureAgreement, type ShowCommand, type ShowNode, type FeatureAgreementRow, type FeatureSummaryRow } from './results/show';
export { simulatedShow } from './measure/show';
export { featureAgreement } from './cli/features';
