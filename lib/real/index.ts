/**
 * lib/real: the same LabSpec on Linux network namespaces with FRR and BIND 9 (root only), the
 * experiments run on it in real time, and its saved results beside the simulator's.
 */
export { realUp, realDown, openRealLab, REAL_RIP_TIMERS, type RealLab, type RealUpOptions } from './lab';
export { planLab, type RealPlan, type NodePlan, type LanPlan, type VethEnd } from './plan';
export { stateFilePath, readState, type RealState } from './state';
export { realLabUnavailable, RealLabError } from './system';
export { failReal, parseRealFailure } from './failures';
export { startRealPing, startRealDnsProbe, parsePingOutput, parseDigOutput, type RealPingOptions, type RealDnsProbeOptions } from './probes';
export { realRouteRows, realVersions, waitForConvergence, type RealVersions } from './observe';
export { realFailover, type RealFailoverOptions, type RealFailoverRecord, type RealFailoverRunRecord } from './failover';
export { realLookups, type RealLookupOptions, type RealLookupRecord, type RealLookupCase } from './lookups';
export { realSurvey, type RealSurveyOptions, type RealSurveyRecord, type RealTtlRow } from './survey';
export { measureReal, REAL_FAILOVER_CASES, REAL_LOOKUP_CASES, REAL_LOOKUP_FAILURES, SURVEY_CLIENTS, SURVEY_TARGETS, type MeasureRealOptions, type RealMeasurement } from './measure';
export { realDataPath, readRealRecord, agreementRow, compareRoutes, realColdStarts, outageFigureRows, outageAgreementRow, compareTtls, compareLookups, agreementRows, agreementTable, recoveredOutages, shareLongerThan, type AgreementRow, type RouteComparisonRow, type TtlComparisonRow, type AgreementInputs } from './compare';
export { teardown, type TeardownReport } from './teardown';
export { recordRealShow, realShow, SETTLE_STABLE_MS, type RealShowRecord, type RealShowNode, type RealShowOptions } from './show';
export { SHOW_RECORD, featureLabs, readShowRecord } from './show-records';
