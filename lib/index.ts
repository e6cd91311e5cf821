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
export { Lab, buildNetwork, DEFAULT_EXEC_TIME, type LabOptions, type LoadOptions, type ExecOptions } from './lab/lab';
export { parseFailure, formatFailure, FAILURE_MODES, type FailureSpec, type FailureMode } from './lab/failures';
export { routeRows, addressPlan, type RouteRow, type AddressPlanRow } from './lab/rows';
export { ExecError, showIpRoute, netstatRn } from './lab/consoles/index';
export { labPath } from './lab/paths';
export * from './plot';
