/**
 * lib/config: real configuration text → LabSpec. Nothing outside this folder knows file formats.
 */
export type * from './spec';
export { LabFileError, formatProblem, type LabFileProblem } from './errors';
export { loadLab, loadLabFiles, findTopologyFile, type LoadLabOptions, type LoadLabSettings } from './load';
export { memoryLabFiles, normalizeLabPath, type LabFiles } from './lab-files';
export { DEFAULT_FRR_RELEASE, formatFrrRelease, frrReleaseProblem, parseFrrRelease, compareFrrRelease, type FrrRelease } from './frr-version';
export { checkLab, type LabFinding } from './check';
export { parseTopology, DEFAULT_LINK_DELAY, CLAB_KINDS, type TopologySpec, type TopologyNode, type TopologyLink, type TopologyEndpoint, type TopologyBind, type LabOptionDecl } from './topology';
export { parseIosConfig, normalizeIosInterfaceName, type IosConfig } from './ios';
export { parseHostScript, type HostScriptConfig, type HostScriptOptions, type ScriptCommand } from './host';
export {
  parseZebraConf,
  parseRipdConf,
  parseFrrConf,
  parseDaemons,
  type FrrConfig,
  type FrrInterface,
  type FrrInterfaceAddress,
  type FrrReadOptions,
  type DaemonsConfig,
} from './frr';
export { defaultMac } from './macs';
export { readDurationRange, type DurationRange } from './common';
export { nodeFile, installsBind, primaryAddress, makeConfigOnNode, namedOptionsText, namedOptionsFor, namedSpecOf, namedBootPlan, resolveNodeDns, serversByZoneAnswer, zonesOfNamed, BIND_BEFORE_LO0_OPTION } from './node-dns';
export { withRipProfile, withIosPoison, withRipTimers, parseRipTimers, ripProfileOverride, iosPoisonOverride, NO_OVERRIDES } from './overrides';
export { parseHosts } from './dns';
export { WriterError, linuxInterfaceName, type InterfaceNaming, type WrittenFile } from './writers/common';
export { writeFrr, ripSpeakers, type FrrWriteOptions, type FrrConfigFiles, type FrrTimers, type FrrDaemon } from './writers/frr';
export { writeBind, dnsServers, type BindWriteOptions, type BindConfigFiles } from './writers/bind';
export { writeIos, iosNodes, type IosWriteOptions, type IosConfigFile } from './writers/ios';
export { writeVagrant, vagrantNodes, type VagrantWriteOptions, type VagrantFiles } from './writers/vagrant';
export { writeContainerlab, type ContainerlabFiles } from './writers/containerlab';
export { exportLab, EXPORT_TARGETS, type ExportTarget, type LabExport } from './writers/export';
