import type { ViolationKind } from './torture-model.js';
import type { TortureReport } from './torture-run.js';

/** The run's figures and every violation, one per line, for a person and for a CI log. */
export function formatTortureReport(
  r: TortureReport,
  replay = `npm run torture -- --stories ${r.stories} --seed ${r.seed}`,
  maxViolations = 60,
): string {
  const faulted = Object.values(r.faults).reduce((a, b) => a + b, 0);
  const byKind = new Map<ViolationKind, number>();
  for (const v of r.violations) byKind.set(v.kind, (byKind.get(v.kind) ?? 0) + 1);
  const lines = [
    `torture seed ${r.seed}: ${r.violations.length === 0 ? 'PASS' : `FAIL (${r.violations.length} violations)`}`,
    `  stories ${r.stories}, parts ${r.parts}, posts on the platforms ${r.posts}`,
    `  kill -9 ${r.kills}, redis restarts ${r.redisRestarts}`,
    `  platform calls ${r.platformCalls}, faulted ${faulted} (${r.platformCalls > 0 ? ((100 * faulted) / r.platformCalls).toFixed(1) : '0'}%)`,
    `  faults by kind: ${
      Object.entries(r.faults)
        .sort()
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    }`,
    `  editor actions (ok/refused/threw): ${Object.entries(r.actions)
      .sort()
      .map(([k, t]) => `${k} ${t.ok}/${t.refused}/${t.threw}`)
      .join(', ')}`,
    `  duplicates ${r.duplicates}, lost ${r.lost}, orphans ${r.orphans}, unknowns surfaced ${r.unknownsSurfaced}/${r.unknownsSeen}`,
    `  publications only the sweep moved on: ${r.swept.length === 0 ? 'none' : r.swept.join(', ')}`,
    `  violations by kind: ${
      [...byKind]
        .sort()
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    }`,
    `  wall ${(r.wallMs / 1000).toFixed(1)} s (chaos ${(r.chaosMs / 1000).toFixed(1)} s, settle ${(r.settleMs / 1000).toFixed(1)} s)`,
  ];
  for (const v of r.violations.slice(0, maxViolations)) {
    const where = [v.storyId, v.destination, v.part !== undefined ? `part ${v.part + 1}` : undefined]
      .filter(Boolean)
      .join(' ');
    lines.push(`  [${v.kind}] ${where}: ${v.detail}`);
  }
  if (r.violations.length > maxViolations) lines.push(`  … and ${r.violations.length - maxViolations} more`);
  if (r.violations.length > 0) lines.push(`  replay: ${replay}`);
  return lines.join('\n');
}
