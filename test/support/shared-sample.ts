import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The outlet's real story, from `../shared/` beside the checkout (present in every clone, CI included).
 * Resolved from this file, not the working directory, so it works wherever vitest is started.
 */
export const SHARED_SAMPLE_PATH = fileURLToPath(
  new URL('../../../shared/samples/beijing-mining-crackdown.txt', import.meta.url),
);

export function readSharedSample(): string {
  return readFileSync(SHARED_SAMPLE_PATH, 'utf8');
}
