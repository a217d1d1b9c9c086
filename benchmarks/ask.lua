-- wrk script for benchmarks/compare.py: POST /api/ask, one JSON body per line of the file given after
-- "--" (then the number of wrk threads), sent in turn; wrk thread t of n takes lines t, t + n, t + 2n, ... so no two requests of a run
-- repeat a question until the file is used up.  done() prints one JSON line with the counts and latencies.

local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
end

function init(args)
   local nthreads = tonumber(args[2])
   bodies = {}
   local i = 0
   for line in io.lines(args[1]) do
      if line ~= "" then
         if i % nthreads == id then table.insert(bodies, line) end
         i = i + 1
      end
   end
   position = 0
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   position = position % #bodies + 1
   return wrk.format(nil, "/api/ask", nil, bodies[position])
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "errors": %d, "status_errors": %d, ' ..
      '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
      summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
