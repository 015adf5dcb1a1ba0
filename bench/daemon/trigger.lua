-- wrk script: POST /v1/messages with a bearer token, a unique Idempotency-Key per request
-- (so every request is a real enqueue with its key stored) and a small trigger body.
local counter = 0
local prefix = ""

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
  prefix = string.format("%08x", math.random(0, 0x7fffffff))
  token = args[1]
  send_at = args[2]
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"template":"welcome","to":[{"email":"bench%d@example.org","name":"Bench %d"}],"data":{"n":%d},"send_at":"%s"}',
    counter, counter, counter, send_at)
  return wrk.format("POST", "/v1/messages", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. "-" .. counter,
  }, body)
end

local non202 = 0
function response(status, headers, body)
  if status ~= 202 then non202 = non202 + 1 end
end
