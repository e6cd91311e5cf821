import { join } from 'node:path';

/** The project's own lab folders (data/labs/<name>), wherever the package is installed or linked. */
export function labPath(name: string): string {
  return join(__dirname, '..', '..', 'data', 'labs', name);
}
