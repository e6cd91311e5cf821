/** The command line as a library: run a command line in-process, as tests and notebooks do. */
export { main, runCli, runCliAsync, reportError } from './main';
