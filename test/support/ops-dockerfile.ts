import { readFileSync } from 'node:fs';

/** One Dockerfile instruction, continuation lines joined. */
export interface DockerInstruction {
  readonly op: string;
  readonly args: string;
}

export interface DockerStage {
  /** `FROM image AS name`: the name, or the index as a string. */
  readonly name: string;
  readonly from: string;
  readonly instructions: readonly DockerInstruction[];
}

/** Parses a Dockerfile into stages (enough for this repository's: no heredocs, no ARG expansion). */
export function parseDockerfile(file: string): DockerStage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trimEnd();
    if (pending === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push((pending + line.trim()).trim());
    pending = '';
  }
  const stages: { name: string; from: string; instructions: DockerInstruction[] }[] = [];
  for (const l of logical) {
    const space = l.indexOf(' ');
    const op = (space < 0 ? l : l.slice(0, space)).toUpperCase();
    const args = space < 0 ? '' : l.slice(space + 1).trim();
    if (op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ name: m?.[2] ?? String(stages.length), from: m?.[1] ?? args, instructions: [] });
      continue;
    }
    const stage = stages[stages.length - 1];
    if (!stage) throw new Error(`Dockerfile: ${op} before FROM`);
    stage.instructions.push({ op, args });
  }
  return stages;
}

/** `COPY [--from=x] a b … dest` split into its parts. */
export function copyArgs(args: string): { from?: string; sources: string[]; dest: string } {
  const words = args.split(/\s+/);
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift() ?? '';
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
  }
  const dest = words.pop() ?? '.';
  return { ...(from ? { from } : {}), sources: words, dest };
}

/** `ENV A=1 B=2` → `{ A: '1', B: '2' }`. */
export function envArgs(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of args.split(/\s+/)) {
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return out;
}
