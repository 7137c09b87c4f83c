import type { Redis } from 'ioredis';

/**
 * Makes `redis` send the commands issued within one turn of the event loop in one socket write instead
 * of one write each. Replies, ordering and error handling are unchanged: only the write is deferred, to
 * the end of the current turn (`setImmediate`).
 *
 * Why: a worker running many jobs at a time issues a ledger or pacer command from each platform reply
 * it handles, and several replies land in the same turn. Each socket write is a system call, and on a
 * loopback or a virtualised host that call costs more than building the command (it was a tenth of a
 * publishing worker's CPU). ioredis' own `enableAutoPipelining` does the same batching through a
 * pipeline object per turn, which costs more than it saves here and cannot share BullMQ's connection.
 */
export function coalesceWrites(redis: Redis): Redis {
  const send = redis.sendCommand.bind(redis);
  let corked: Redis['stream'] | undefined;
  redis.sendCommand = (command, stream) => {
    const socket = redis.stream as Redis['stream'] | undefined;
    // Before the connection is up, ioredis queues commands itself; there is nothing to cork.
    if (corked === undefined && socket?.writable === true) {
      corked = socket;
      socket.cork();
      setImmediate(() => {
        corked = undefined;
        // A socket that closed meanwhile drops its buffer; ioredis fails or replays those commands.
        socket.uncork();
      });
    }
    return send(command, stream);
  };
  return redis;
}
