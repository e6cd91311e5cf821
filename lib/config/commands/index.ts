/**
 * lib/config/commands: IOS and Quagga/FRR configuration commands as tables (words, minimum
 * abbreviations, typed arguments with ranges, the mode they belong to, and what they change), read by
 * one small engine. The parsers in ../ios.ts and ../frr.ts walk a file's lines and hand each to the
 * table of the current mode.
 */
export { runCommand, parseSyntax, usage, helpOf, isNegated, valueOf, type Command, type CommandLine, type Dialect, type Negation, type SourceLine, type Table, type Token } from './engine';
export { ROUTER_RIP, type RipState } from './rip';
export { IOS_EXEC, IOS_GLOBAL, IOS_INTERFACE, IGNORED_IP_INTERFACE, type IosMode, type IosState } from './ios';
export { FRR_TOP, FRR_INTERFACE, type FrrNode, type FrrState } from './frr';
export { normalizeIosInterfaceName, isIosLoopback, iosInterfaceMacIndex } from './ios-names';
