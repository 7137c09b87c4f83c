// Both stand-ins (Telegram Bot API, X API v2) in a process of their own, for benches that must not count
// the stand-ins' CPU on the side they measure: `node --import tsx harness/standins-process.ts [latencyMs]`.
// Prints one JSON line with their URLs ({"telegram": …, "x": …}), then answers one line per command on
// stdin: `reset` (a fresh X account and call clock: "ok"), `stats` ({"count", "elapsedMs"}: platform
// posts and tweets so far, first to last), `close` (stops both and exits).
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { startTelegramStandIn } from '../src/sandbox/standins/telegram/index.js';
import { startXStandIn } from '../src/sandbox/standins/x/index.js';

const latencyMs = Number(process.argv[2] ?? 0);
const telegram = await startTelegramStandIn({ floodLimits: false });
const x = await startXStandIn({ perWindow: 1_000_000, perDay: 1_000_000 });
if (latencyMs > 0) telegram.faults.add({ method: 'sendMessage', kind: 'latency', latencyMs });

let times: number[] = [];
telegram.onEvent((e) => {
  if (e.type === 'message-posted') times.push(performance.now());
});
x.onEvent((e) => {
  if (e.type === 'tweet-created') times.push(performance.now());
});

const answer = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
answer({ telegram: telegram.apiRoot, x: x.apiRoot });

for await (const line of createInterface({ input: process.stdin })) {
  const command = line.trim();
  if (command === 'reset') {
    // X's reset also clears its fault rules: the latency is added again.
    x.reset();
    if (latencyMs > 0) x.faults.add({ method: 'POST /2/tweets', kind: 'latency', latencyMs });
    times = [];
    answer('ok');
  } else if (command === 'stats') {
    answer({ count: times.length, elapsedMs: (times[times.length - 1] ?? 0) - (times[0] ?? 0) });
  } else if (command === 'close') {
    break;
  }
}
await telegram.close();
await x.close();
process.exit(0);
