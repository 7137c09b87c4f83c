import type { Story } from '../domain/story.js';
import { InputError } from '../errors/input-error.js';
import type { RenderOptions } from '../format/render-options.js';
import type { XPricing } from '../format/x-cost.js';
import { costLine, type XCostExample, xCostExample } from '../format/x-cost-example.js';

const money = (usd: number): string => `$${usd.toFixed(usd < 10 ? 3 : 2)}`;

/** Reads `--stories`: a whole number of stories a day, 1 to 10,000. */
export function storiesPerDay(value: string | undefined): number {
  if (value === undefined) return 40;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) {
    throw new InputError(`--stories: "${value}" is not a whole number of stories a day (1 to 10000)`);
  }
  return n;
}

/** `regwire cost`: the worked example as a table (or JSON), computed by the formatter and the cost model. */
export function costReport(
  story: Story,
  format: RenderOptions,
  pricing: XPricing,
  stories: number,
  readLimit: number,
  json: boolean,
): string {
  const example = xCostExample(story, format, pricing, stories, readLimit);
  return json ? JSON.stringify(example, null, 2) : costTable(example);
}

function costTable(example: XCostExample): string {
  const { pricing, storiesPerDay: n } = example;
  const header = `| x.linkPlacement | thread | per story | ${n} stories a day | 30 days |`;
  const rows = example.rows.map(
    (r) =>
      `| ${r.link} | ${costLine(r.tweets, r.perStoryUsd, r.postsWithUrl)} | ${money(r.perStoryUsd)} | ${money(r.perDayUsd)} | ${money(r.per30DaysUsd)} |`,
  );
  return [
    header,
    '|---|---|---|---|---|',
    ...rows,
    '',
    `Prices read ${pricing.readOn} (x.pricing): post $${pricing.createUsd}, post with URL $${pricing.createWithUrlUsd}, ` +
      `own post read $${pricing.ownedPostReadUsd}. A tweet whose outcome is lost costs a reconcile: ` +
      `${money(example.reconcileUsd.firstLook)} for the first look, at most ${money(example.reconcileUsd.worst)}.`,
  ].join('\n');
}
