-- wrk script of benches/soak.sh: rotates over the paths given after `--` (one request each in
-- turn, per thread), counts answers by status in every thread, and prints one line at the
-- end, `SOAK {json}`: requests, duration, latency p50/p99/max (µs), socket errors and the
-- answers that were not 2xx (wrk's own `errors.status` counts only 4xx/5xx).
--   wrk -t1 -c16 -d600s -s benches/soak.lua -H 'Authorization: Bearer …' URL -- /a /b?x=1

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for _, p in ipairs(args) do
    table.insert(paths, p)
  end
  if #paths == 0 then
    table.insert(paths, wrk.path)
  end
  n = 0
  statuses = {}
end

function request()
  n = n + 1
  return wrk.format(nil, paths[(n - 1) % #paths + 1])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local by_status = {}
  local non_2xx = 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
      if status < 200 or status > 299 then
        non_2xx = non_2xx + count
      end
    end
  end
  local parts = {}
  for status, count in pairs(by_status) do
    table.insert(parts, string.format('"%d":%d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'SOAK {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"timeout":%d,"status_errors":%d,"non_2xx":%d,' ..
    '"statuses":{%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, e.status, non_2xx,
    table.concat(parts, ",")))
end
