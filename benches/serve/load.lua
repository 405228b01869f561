-- wrk script: every request takes the next query of the set (a file of /api/search paths,
-- one a line, in WRK_PATHS); a response is valid when its status is 200 and its body is a
-- search's JSON. done() prints one JSON object: requests, seconds, QPS, latency percentiles,
-- invalid responses and socket errors.
local paths = {}
local threads = {}

local function load()
  for line in io.lines(os.getenv("WRK_PATHS")) do
    if #line > 0 then paths[#paths + 1] = line end
  end
end

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  load()
  counter = id * 7
  invalid = 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  if status ~= 200 or body:sub(1, 9) ~= '{"query":' then
    invalid = invalid + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("invalid") end
  local errors = summary.errors
  local socket = errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "qps": %.1f, "p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "invalid": %d, "non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, bad, errors.status, socket))
end
