-- wrk script: POST /v1/messages with a bearer token, a unique Idempotency-Key per request
-- (so every request is a real enqueue with its key stored) and a small trigger body.
-- The request is concatenated directly rather than through wrk.format, which rebuilds the whole
-- header block from a table per request: wrk shares the two cores with the daemon it measures,
-- and the reference run (GET /healthz) sends a prebuilt request. There is no response() hook:
-- with one, wrk hands every response's headers and body to Lua; it counts non-2xx answers itself.
local counter = 0
local head = ""
local send_at = ""

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
  local prefix = string.format("%08x", math.random(0, 0x7fffffff))
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
