-- wrk script: POST /v1/messages with one fixed trigger body and no Idempotency-Key. Without a
-- request() function wrk builds the request once and resends it, as it does for the reference
-- GET /healthz, so both loads cost the client the same; every request is still a new message
-- with its delivery, committed and flushed before the 202.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. args[1]
  wrk.body = '{"template":"welcome","to":[{"email":"bench@example.org","name":"Bench"}],"data":{"n":1},"send_at":"' ..
             args[2] .. '"}'
end
