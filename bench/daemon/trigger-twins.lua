-- wrk script: trigger.lua's requests, with every Idempotency-Key sent twice at once. The threads
-- go in pairs that share a key prefix and count from 1 alike, so each key (and its body) is sent
-- by both threads of its pair, at about the same moment: half the requests are twins of a request
-- in flight, as from a client retrying on timeout or an at-least-once webhook source. Needs an
-- even number of threads (-t2, -t4…); with one thread it is trigger.lua.
local counter = 0
local head = ""
local send_at = ""
local threads = 0
local pair_prefix = ""

-- Runs in wrk's main Lua state, once per thread before init: gives each pair its prefix.
function setup(thread)
  if threads == 0 then
    math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
  end
  if threads % 2 == 0 then
    pair_prefix = string.format("%08x", math.random(0, 0x7fffffff))
  end
  thread:set("prefix", pair_prefix)
  threads = threads + 1
end

function init(args)
  local token = args[1]
  send_at = args[2]
  head = "POST /v1/messages HTTP/1.1\r\nHost: " .. wrk.host .. ":" .. wrk.port ..
         "\r\nAuthorization: Bearer " .. token ..
         "\r\nContent-Type: application/json\r\nIdempotency-Key: " .. prefix .. "-"
end

function request()
  counter = counter + 1
  local n = tostring(counter)
  local body = '{"template":"welcome","to":[{"email":"bench' .. n .. '@example.org","name":"Bench ' .. n ..
               '"}],"data":{"n":' .. n .. '},"send_at":"' .. send_at .. '"}'
  return head .. n .. "\r\nContent-Length: " .. #body .. "\r\n\r\n" .. body
end
