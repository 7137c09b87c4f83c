import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import twitterText from 'twitter-text';
import { loadCorpus, loadSharedSample } from '../harness/story-files.js';
import type { Story } from '../src/domain/story.js';
import { detectHashtags } from '../src/format/hashtags.js';
import { render } from '../src/format/render.js';
import { defaultRenderOptions, type RenderOptions } from '../src/format/render-options.js';
import { splitParagraphs } from '../src/format/sentences.js';
import { buildTelegramPayloads } from '../src/format/telegram-post.js';
import { buildXThread } from '../src/format/x-thread.js';

/** Render throughput over the corpus, on one core. */
export interface RenderBenchResult {
  /** Full renders (Telegram payloads and X thread) per second. */
  readonly storiesPerSecond: number;
  /** Telegram payloads alone, per second. */
  readonly telegramPerSecond: number;
  /** X threads alone, per second. */
  readonly xPerSecond: number;
  /** Stories in the corpus (the shared sample included). */
  readonly corpusStories: number;
  /** Full renders timed, and how long they took. */
  readonly renders: number;
  readonly elapsedMs: number;
  /** Mean time per full render, in microseconds. */
  readonly meanMicros: number;
}

/**
 * Renders every corpus story over and over (after a warm-up) for about `durationMs` per measurement and
 * reports throughput: full renders, then each platform alone.
 */
export async function benchRender(durationMs = 2_000): Promise<RenderBenchResult> {
  const options = defaultRenderOptions;
  const stories: Story[] = [...loadCorpus().map((c) => c.story), loadSharedSample()];

  const full = (story: Story) => render(story, options);
  const parts = stories.map((s) => prepared(s, options));
  const telegramOnly = (i: number) => buildTelegramPayloads(parts[i]!, options.telegram);
  const xOnly = (i: number) => buildXThread(parts[i]!, options.x);

  const fullRun = measure(durationMs, stories.length, (i) => full(stories[i]!));
  const telegramRun = measure(durationMs / 2, stories.length, telegramOnly);
  const xRun = measure(durationMs / 2, stories.length, xOnly);
  return {
    storiesPerSecond: Math.round(fullRun.perSecond),
    telegramPerSecond: Math.round(telegramRun.perSecond),
    xPerSecond: Math.round(xRun.perSecond),
    corpusStories: stories.length,
    renders: fullRun.count,
    elapsedMs: Math.round(fullRun.elapsedMs),
    meanMicros: Math.round((fullRun.elapsedMs * 1000) / fullRun.count),
  };
}

/** What threads look like over the corpus, with default options. */
export interface ThreadFigures {
  readonly stories: number;
  /** Mean posts per story. */
  readonly tweetsPerStory: number;
  /** Mean over all posts of weighted length ÷ the limit (280). */
  readonly meanFill: number;
  /** Stories whose thread does not reach the end of the body (cut at the cap). */
  readonly truncatedShare: number;
  /** Stories rendered as one post. */
  readonly singlePostShare: number;
}

/**
 * Thread shape over the corpus. A story counts as truncated when its body's last words are not in the
 * thread: judged from the output alone, so the figure means the same for any formatter.
 */
export function threadFigures(options: RenderOptions = defaultRenderOptions): ThreadFigures {
  const stories: Story[] = [...loadCorpus().map((c) => c.story), loadSharedSample()];
  const limit = options.x.maxWeightedLength;
  let posts = 0;
  let fill = 0;
  let truncated = 0;
  let single = 0;
  for (const story of stories) {
    const { x } = render(story, options);
    posts += x.length;
    if (x.length === 1) single++;
    for (const post of x) fill += twitterText.parseTweet(post.text).weightedLength / limit;
    const words = (t: string) =>
      t
        .split(/\s+/u)
        .map((w) => w.replace(/^\$(?=[A-Za-z])/, ''))
        .filter((w) => w !== '' && !/^\d+\/\d+$/.test(w));
    // Compared without spaces: a CJK sentence has none of its own, and may be split between posts.
    const ending = words(story.body).slice(-3).join('');
    const thread = words(x.map((p) => p.text).join(' ')).join('');
    if (ending !== '' && !thread.includes(ending)) truncated++;
  }
  return {
    stories: stories.length,
    tweetsPerStory: posts / stories.length,
    meanFill: fill / posts,
    truncatedShare: truncated / stories.length,
    singlePostShare: single / stories.length,
  };
}

function prepared(story: Story, options: RenderOptions) {
  const paragraphs = splitParagraphs(story.body);
  const hashtags = detectHashtags(
    { title: story.title, body: story.body, tags: story.tags },
    options.hashtags,
  );
  return {
    title: story.title,
    paragraphs,
    hashtags,
    ...(story.url && { url: story.url }),
    ...(story.imageUrl && { imageUrl: story.imageUrl }),
  };
}

function measure(
  durationMs: number,
  n: number,
  run: (i: number) => unknown,
): { count: number; elapsedMs: number; perSecond: number } {
  // Warm-up: let V8 optimize before timing.
  for (let k = 0; k < 20; k++) for (let i = 0; i < n; i++) run(i);
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (let i = 0; i < n; i++) run(i);
    count += n;
    elapsed = performance.now() - start;
  }
  return { count, elapsedMs: elapsed, perSecond: (count * 1000) / elapsed };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t = threadFigures();
  console.log(
    `threads: ${t.tweetsPerStory.toFixed(2)} tweets/story, mean fill ${(t.meanFill * 100).toFixed(1)}%, ` +
      `${(t.truncatedShare * 100).toFixed(1)}% truncated, ${(t.singlePostShare * 100).toFixed(1)}% one post, ` +
      `over ${t.stories} corpus stories`,
  );
  const result = await benchRender();
  console.log(
    `render: ${result.storiesPerSecond} stories/s (both platforms; Telegram alone ${result.telegramPerSecond}/s, ` +
      `X alone ${result.xPerSecond}/s), ${result.meanMicros} µs mean over ${result.corpusStories} corpus stories`,
  );
}
