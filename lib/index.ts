/**
 * anycast-lab's public API: what notebooks, scripts and the REPL import. Layers below re-export
 * through here; deep imports (`anycast-lab/dist/...`) are not part of the API.
 */
export * from './sim';
export * from './wire';
export * from './proto';
export { Network, NetNode, Interface, Segment, Capture, STACK_PROFILES, syntheticMac } from './net';
export type { StackProfile, UdpSocket, UdpMeta, UdpHandlers, Service, SendOptions, CapturedFrame, StackEvent } from './net';
export * from './config';
// Both the config schema and the RIP state machine name the split-horizon modes; they are the same three.
export type { SplitHorizonMode } from './proto';
export { Lab, buildNetwork, DEFAULT_EXEC_TIME, type LabOptions, type LoadOptions, type ExecOptions } from './lab/lab';
export { parseFailure, formatFailure, FAILURE_MODES, type FailureSpec, type FailureMode } from './lab/failures';
export { routeRows, addressPlan, type RouteRow, type AddressPlanRow } from './lab/rows';
export { ExecError, showIpRoute, netstatRn } from './lab/consoles/index';
export { labPath } from './lab/paths';
export { RouteLog, parsePrefix, type RouteChangeRow, type RouteLogQuery, type RouteEvent } from './lab/route-log';
export { attachRoutingDaemons, withRipProfile, ripConfigFromSpec } from './lab/routing';
export { chainLab, gridLab } from './lab/generators';
export { attachDnsServices, nodeDns, namedOf, makeConfigZones, type DnsAttachOptions, type NodeDns } from './lab/dns';
export { timeLookups, type LookupCase, type LookupTiming, type LookupExperiment } from './lab/lookups';
export { packetRows, formatPacketList, packetDetails, packetHexdump, type PacketRow } from './lab/capture-view';
export { parseDnsInputFile, makeConfig, zoneFileText, zoneFileName, parseNamedOptions, parseResolvConf, withAllowRecursion, DEBIAN_NAMED_CONF_OPTIONS, type DnsInputEntry } from './config/dns';
export * from './plot';
export { doctor, formatDoctorFinding, type DoctorFinding, type DoctorCode } from './lab/doctor';
export { namedBootPlan, BIND_BEFORE_LO0_OPTION, type NamedBootPlan, type NamedStartStep, type AddressStep } from './lab/dns';
export { startPingProbe, startNslookupLoop, serversByAnswer, type PingRow, type PingProbeOptions, type NslookupRow, type NslookupLoopOptions, type Probe } from './lab/probes';
export { measureFailover, failoverDistribution, failoverPhases, type FailoverOptions, type FailoverResult, type FailoverPhase, type FailoverPhaseName, type FailoverDistributionOptions, type FailoverDistribution, type FailoverRun } from './lab/failover';
export * from './real';
