import { luaScript } from './lua-script.js';
import { PACE_RESERVE_LUA } from './pacing-lua.js';

// Every script here changes one publication atomically, and touches only keys of its story's hash tag
// (see redis-keys.ts) unless its comment says otherwise: on Redis Cluster a script's keys must share a slot.
// Keys a call does not need are left out (never passed as ''), as '' is a key of another slot.
//
// Every script here changes one publication atomically. Each is safe to run twice with the same
// arguments (ioredis re-sends a command whose reply was lost in a reconnect): a second run finds its own
// lease or its own write and answers as the first did.
//
// Publications are JSON objects with string fields only, so cjson round-trips them faithfully; ISO
// times (all from `Date#toISOString`) compare as strings in time order.

/** Lua: `decode_status(raw)` → the publication as a table ({} for none or garbage). */
const DECODE_STATUS_LUA = `
local function decode_status(raw)
  if not raw then return {} end
  local ok, decoded = pcall(cjson.decode, raw)
  if ok and type(decoded) == 'table' then return decoded end
  return {}
end
`;

// KEYS: story, pub hash, parts ledger, lease, then for a first send (on one Redis server only: they are
// the destination's pacing slot, not the story's) the destination's sends log and live budgets.
// ARGV: destination, now (ISO), lease token, lease ms, first part ('' for none), pace member, due-by
// (ISO: now plus the clock tolerance), then pace_reserve's arguments.
//
// Takes the lease (or finds it already ours: a re-sent begin), reads the story, its publication (as it
// was) and the ledger, then decides:
//   'run'          the publication is scheduled or publishing and due: marked 'publishing'; with a
//                  first part and an empty ledger, that send is reserved and recorded (5th entry: the
//                  wait, 0 when reserved; -1 when not tried);
//   'early'        not due yet, or embargoed: 7th entry is the ISO time to come back at;
//   'gone', 'cancelled', 'published', 'not-runnable' (failed, needs an editor, a draft): nothing to do.
// Anything but 'run' releases the lease. Reply {0} when another attempt holds the lease.
export const beginScript = luaScript(
  'publication_begin',
  `${PACE_RESERVE_LUA}${DECODE_STATUS_LUA}
local holder = redis.call('GET', KEYS[4])
if holder and holder ~= ARGV[3] then return {0} end
if not holder then redis.call('SET', KEYS[4], ARGV[3], 'PX', ARGV[4]) end
local story = redis.call('GET', KEYS[1])
local pub = redis.call('HGET', KEYS[2], ARGV[1])
local parts = redis.call('HGETALL', KEYS[3])
local firstWait = -1
local verdict = 'run'
local notBefore = ''
local status = decode_status(pub)
local state = status.state
if not story then verdict = 'gone'
elseif state == 'cancelled' then verdict = 'cancelled'
elseif state == 'published' then verdict = 'published'
elseif state ~= 'scheduled' and state ~= 'publishing' then verdict = 'not-runnable'
else
  if state == 'scheduled' and type(status.dueAt) == 'string' and status.dueAt > ARGV[7] then
    notBefore = status.dueAt
  end
  if type(status.embargoUntil) == 'string' and status.embargoUntil > ARGV[2] and status.embargoUntil > notBefore then
    notBefore = status.embargoUntil
  end
  if notBefore ~= '' then verdict = 'early' end
end
if verdict ~= 'run' then
  redis.call('DEL', KEYS[4])
  return {1, story or false, pub or false, parts, -1, verdict, notBefore}
end
status.state = 'publishing'
status.updatedAt = ARGV[2]
status.reason = nil
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(status))
if KEYS[6] and #parts == 0 then
  firstWait = pace_reserve(KEYS[5], KEYS[6], ARGV[6], ARGV, 8)
  if firstWait == 0 then redis.call('HSET', KEYS[3], '0', ARGV[5]) end
end
return {1, story, pub or false, parts, firstWait, verdict, ''}
`,
  { buffers: true },
);

// KEYS: pub hash, parts ledger, lease, then (on one Redis server only: other slots; on a cluster they
// are written after, see RedisStoryStore.finishPublication) the last-published hash and published zset.
// ARGV: destination, publication, updatedAt, atMs, digestable ('1'/'0'), story id, last part field ('' for
// none), last part, lease token.
// Returns 1 when published, 2 when the publication was cancelled meanwhile (the last part is recorded,
// the cancellation stays), 0 when another attempt holds the lease (nothing written). A re-sent finish
// finds the publication exactly as it wrote it and answers 1 again.
// A lease nobody holds, on a publication still publishing, is taken as ours: every part is out, and the
// lease may have run out on a primary promoted by a failover while the renewals went to the old one
// (refusing would leave the last part `sending` behind a job that completes).
export const finishScript = luaScript(
  'publication_finish',
  `${DECODE_STATUS_LUA}
local holder = redis.call('GET', KEYS[3])
if holder ~= ARGV[9] then
  if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return 1 end
  if holder then return 0 end
  if decode_status(redis.call('HGET', KEYS[1], ARGV[1])).state ~= 'publishing' then return 0 end
end
if ARGV[7] ~= '' then redis.call('HSET', KEYS[2], ARGV[7], ARGV[8]) end
local current = decode_status(redis.call('HGET', KEYS[1], ARGV[1]))
redis.call('DEL', KEYS[3])
if current.state ~= 'publishing' then return 2 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if KEYS[4] then redis.call('HSET', KEYS[4], ARGV[1], ARGV[3]) end
if KEYS[5] and ARGV[5] == '1' then redis.call('ZADD', KEYS[5], 'NX', ARGV[4], ARGV[6]) end
return 1
`,
);

// KEYS: pub hash, then the parts ledger when a part is written. ARGV: destination, allowed current states (comma-separated;
// 'none' for no publication), new state, updatedAt, reason ('' to clear), part field ('' for none), part
// value, then field/value pairs to set ('' clears).
// Compare-and-set of one publication (with one ledger entry): reply {1, previous state} when it was in an
// allowed state and is now changed, else {0, current state} and nothing written.
export const transitionScript = luaScript(
  'publication_transition',
  `${DECODE_STATUS_LUA}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local status = decode_status(raw)
local current = status.state or 'none'
local allowed = false
for s in string.gmatch(ARGV[2], '[^,]+') do
  if s == current then allowed = true end
end
if not allowed then return {0, current} end
status.state = ARGV[3]
status.updatedAt = ARGV[4]
if ARGV[5] == '' then status.reason = nil else status.reason = ARGV[5] end
for i = 8, #ARGV, 2 do
  if ARGV[i + 1] == '' then status[ARGV[i]] = nil else status[ARGV[i]] = ARGV[i + 1] end
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(status))
if KEYS[2] and ARGV[6] ~= '' then redis.call('HSET', KEYS[2], ARGV[6], ARGV[7]) end
return {1, current}
`,
);

// KEYS: story, pub hash, then the parts ledger of each destination checked. ARGV: new record (bytes), then
// optionally the destinations checked (comma-separated; absent: every publication).
// Replaces the story only while nothing of it is under way on the destinations checked: no publication
// publishing or published, no part sent, being sent or of unknown outcome. Reply '' when replaced, else
// why not ("state:dest" or "part:dest:index:state").
export const replaceIfUnsentScript = luaScript(
  'story_replace_if_unsent',
  `${DECODE_STATUS_LUA}
if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end
local checked = nil
if ARGV[2] then
  checked = {}
  for d in string.gmatch(ARGV[2], '[^,]+') do checked[d] = true end
end
local pubs = redis.call('HGETALL', KEYS[2])
for i = 1, #pubs, 2 do
  local s = decode_status(pubs[i + 1]).state
  if (checked == nil or checked[pubs[i]]) and (s == 'publishing' or s == 'published') then
    return 'state:' .. pubs[i] .. ':' .. s
  end
end
for k = 3, #KEYS do
  local parts = redis.call('HVALS', KEYS[k])
  for _, raw in ipairs(parts) do
    local ok, part = pcall(cjson.decode, raw)
    if ok and type(part) == 'table' and part.state ~= 'failed' then
      return 'part:' .. KEYS[k] .. ':' .. tostring(part.index) .. ':' .. tostring(part.state)
    end
  end
end
redis.call('SET', KEYS[1], ARGV[1])
return ''
`,
);

// KEYS: lease, parts ledger, pub hash. ARGV: token, field, value, destination, '1' when the write is a
// 'sending' mark (allowed only while the publication is 'publishing').
// Writes one ledger entry while the lease is ours: 1 written, 0 lease lost, -2 publication stopped
// (cancelled or skipped: no new send may start).
export const guardedPartScript = luaScript(
  'publication_guarded_part',
  `${DECODE_STATUS_LUA}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[5] == '1' and decode_status(redis.call('HGET', KEYS[3], ARGV[4])).state ~= 'publishing' then return -2 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 1
`,
);

// KEYS: lease, parts ledger. ARGV: token, field, reason, at. Takes back a 'sending' mark this attempt
// wrote and never acted on (its send did not start): the part is again unsent ('failed' with the reason,
// which the next attempt sends), not "possibly posted".
export const retractSendingScript = luaScript(
  'publication_retract_sending',
  `local raw = redis.call('HGET', KEYS[2], ARGV[2])
if not raw then return 0 end
local ok, part = pcall(cjson.decode, raw)
if ok and type(part) == 'table' and part.state == 'sending' and part.attempt == ARGV[1] then
  part.state = 'failed'
  part.attempt = nil
  part.reason = ARGV[3]
  part.at = ARGV[4]
  redis.call('HSET', KEYS[2], ARGV[2], cjson.encode(part))
  return 1
end
return 0`,
);
