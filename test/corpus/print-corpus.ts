import twitterText from 'twitter-text';
import { render } from '../../src/format/render.js';
import { defaultRenderOptions } from '../../src/format/render-options.js';
import { loadCorpus } from '../../harness/story-files.js';

// Prints every corpus story as rendered, for review: tsx test/corpus/print-corpus.ts [name filter]
const only = process.argv[2];
for (const { name, story } of loadCorpus()) {
  if (only && !name.includes(only)) continue;
  const r = render(story, defaultRenderOptions);
  console.log(`\n######## ${name}`);
  console.log('changes:', story.changes);
  for (const p of r.telegram) {
    console.log(`[tg ${p.method}] ${p.method === 'sendMessage' ? p.text.length : p.caption.length}`);
    console.log(p.method === 'sendMessage' ? p.text : p.caption);
  }
  for (const t of r.x) {
    const pt = twitterText.parseTweet(t.text);
    console.log(`--- x (${pt.weightedLength}${pt.valid ? '' : ' INVALID'})\n${t.text}`);
  }
}
