/**
 * Redis scripts behind the shared, priority-aware FACEIT rate limiter (see rate-limiter.ts for the design).
 * Both read the clock with TIME inside Redis, so every process uses one clock.
 *
 * Keys: 1 slots (zset member → release time; "i:<id>" in flight, "c:<id>" completed), 2 pause (ms timestamp),
 * 3 waiters (zset id → liveness deadline), 4..7 FIFO queues for critical/high/default/low (zset id → enqueue time),
 * 8 hourly counter (hash h = hour index, c = count).
 */

export const ACQUIRE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tier = tonumber(ARGV[1])
local id = ARGV[2]
local limit = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local lease = tonumber(ARGV[5])
local quota = tonumber(ARGV[6])
local share = tonumber(ARGV[7])
local ttl = tonumber(ARGV[8])

-- Forget waiters whose process stopped polling (crash, kill): they must not block lower tiers forever.
local dead = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
for i = 1, #dead do
  for q = 4, 7 do redis.call('ZREM', KEYS[q], dead[i]) end
  redis.call('ZREM', KEYS[3], dead[i])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)

-- (Re-)register: FIFO within the tier; a caller whose tier was raised moves to the higher queue.
local queue = KEYS[3 + tier]
for q = 4, 7 do if q ~= 3 + tier then redis.call('ZREM', KEYS[q], id) end end
redis.call('ZADD', queue, 'NX', now, id)
redis.call('ZADD', KEYS[3], now + ttl, id)
redis.call('PEXPIRE', KEYS[3], ttl * 2)
redis.call('PEXPIRE', queue, ttl * 2)

local pause = tonumber(redis.call('GET', KEYS[2]) or '0')
if pause > now then return {0, pause - now} end

local hour = math.floor(now / 3600000)
local used_hour = 0
if quota > 0 then
  local h = redis.call('HMGET', KEYS[8], 'h', 'c')
  if tonumber(h[1]) == hour then used_hour = tonumber(h[2]) or 0 end
  if used_hour >= math.floor(quota * share) then return {0, (hour + 1) * 3600000 - now} end
end

-- Strict priority: everyone in a higher tier, and everyone queued earlier in this tier, goes first.
local ahead = redis.call('ZRANK', queue, id)
for q = 4, 2 + tier do ahead = ahead + redis.call('ZCARD', KEYS[q]) end
local used = redis.call('ZCARD', KEYS[1])
local free = limit - used

if ahead < free then
  redis.call('ZADD', KEYS[1], now + lease, 'i:' .. id)
  redis.call('PEXPIRE', KEYS[1], lease + window)
  redis.call('ZREM', queue, id)
  redis.call('ZREM', KEYS[3], id)
  if quota > 0 then
    redis.call('HSET', KEYS[8], 'h', hour, 'c', used_hour + 1)
    redis.call('PEXPIRE', KEYS[8], 7200000)
  end
  return {1, 0}
end

-- Not yet: sleep until the slot this caller is in line for frees. An in-flight slot frees a window after its
-- answer, so at least a window from now; a completed one at its recorded time.
local releases = {}
local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 1, #all, 2 do
  if string.sub(all[i], 1, 2) == 'i:' then releases[#releases + 1] = now + window
  else releases[#releases + 1] = tonumber(all[i + 1]) end
end
table.sort(releases)
local need = ahead - free + 1
if #releases == 0 then return {0, 5} end
if need > #releases then need = #releases end
return {0, math.max(1, releases[need] - now)}
`;

/**
 * Completes a slot: it stays taken for one window after the answer arrived. Because FACEIT counted the request
 * somewhere between our send and its answer, holding the slot until answer + window guarantees no FACEIT window
 * ever sees more than `limit` of our requests, whatever the latency. Then applies FACEIT's feedback:
 * a 429 pauses everybody for ARGV[6] ms; `ratelimit-remaining: 0` while we hold at most half the slots means
 * someone else spends this key's budget, so everybody pauses until the reset.
 */
export const COMPLETE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id = ARGV[1]
local window = tonumber(ARGV[2])
local status = tonumber(ARGV[3])
local remaining = tonumber(ARGV[4])
local reset = tonumber(ARGV[5])
local pause429 = tonumber(ARGV[6])
local limit = tonumber(ARGV[7])

redis.call('ZREM', KEYS[1], 'i:' .. id)
redis.call('ZADD', KEYS[1], now + window, 'c:' .. id)
redis.call('PEXPIRE', KEYS[1], window * 2 + 60000)

local pause = 0
if status == 429 then
  pause = pause429
elseif remaining == 0 then
  -- Only when we clearly did not fill FACEIT's window ourselves (our slots can slip out of the count while a
  -- slow answer arrives, so "fewer than limit" alone would pause a saturated-but-correct budget).
  local active = redis.call('ZCOUNT', KEYS[1], now, '+inf')
  if active * 2 <= limit then pause = math.max(reset, window) end
end
if pause > 0 then
  local current = tonumber(redis.call('GET', KEYS[2]) or '0')
  if now + pause > current then redis.call('SET', KEYS[2], now + pause, 'PX', pause) end
end
return pause
`;
