-- wrk script for B1: every request registers a new person for one ticket type; each thread stops
-- after its share of RUSH_REQUESTS answers, and the main thread sums what the threads counted.
local conference = os.getenv("RUSH_CONFERENCE")
local ticket = os.getenv("RUSH_TICKET")
local total = tonumber(os.getenv("RUSH_REQUESTS"))
local thread_count = tonumber(os.getenv("RUSH_THREADS"))
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  sent, created, sold_out, other = 0, 0, 0, 0
  limit = math.floor(total / thread_count)
end

function request()
  sent = sent + 1
  local email = string.format("rush-%d-%d-%d@example.org", thread_id, sent, math.random(1, 1000000000))
  local body = string.format(
    '{"payer_name":"Rush","payer_email":"%s","attendees":[{"name":"Rush","email":"%s","ticket_type_ids":["%s"]}]}',
    email, email, ticket)
  return wrk.format("POST", "/conferences/" .. conference .. "/registrations", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 elseif status == 409 then sold_out = sold_out + 1 else other = other + 1 end
  if created + sold_out + other >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local c, s, o = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); s = s + t:get("sold_out"); o = o + t:get("other")
  end
  io.write(string.format("RESULT created=%d sold_out=%d other=%d duration_us=%d p50_us=%d p99_us=%d\n",
    c, s, o, summary.duration, latency:percentile(50), latency:percentile(99)))
end
