// Rewrites the pinned expected outputs from the current formatter: run with tsx, then review the diff.
import { writeFileSync } from 'node:fs';
import { CORPUS_EXPECTED, loadCorpus, loadSharedSample } from '../../harness/story-files.js';
import { expectedOutput, PINNED } from './expected-output.js';

const stories = new Map(loadCorpus().map((c) => [c.name, c.story]));
stories.set('beijing-mining-crackdown', loadSharedSample());
for (const name of PINNED) {
  const story = stories.get(name);
  if (!story) throw new Error(`no corpus story ${name}`);
  writeFileSync(
    new URL(`${name}.json`, CORPUS_EXPECTED),
    `${JSON.stringify(expectedOutput(story), null, 2)}\n`,
  );
}
console.log(`wrote ${PINNED.length} expected outputs`);
