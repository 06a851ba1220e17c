// fw_loadgen: a closed-loop HTTP/1.1 load generator for the Fachwerk work loop.
//
//   fw_loadgen --host 127.0.0.1 --port P --connections 64 --duration 20 --mode cycle
//              --tokens FILE --project prj_...
//   fw_loadgen --host 127.0.0.1 --port P --connections 64 --duration 10 --mode healthz
//
// Each connection is one thread with one keep-alive connection (Boost.Beast, synchronous),
// sending its next request as soon as the previous answer arrives. In `cycle` mode a
// connection acts for one expert (tokens are dealt round-robin) and repeats
//   POST /api/v1/work/next {"project_id": P}
//   POST /api/v1/assignments/{id}/submit {"answer": {"label": "correct"}, "idempotency_key": unique}
// and a cycle counts when the submit answers 201. In `healthz` mode it repeats GET /healthz:
// the ceiling of this machine for the server's HTTP layer, router and one database read.
//
// Latencies are recorded per request kind after the warm-up; the report is a text table and
// a final line of JSON. Loopback only; the run ends by itself (a watchdog ends the process
// if the server stops answering).

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  int connections = 64;
  double duration_seconds = 20;
  double warmup_seconds = 2;
  std::string mode = "cycle";
  std::string tokens_file;
  std::string project;
  int timeout_seconds = 30;  // per request
};

// What one thread saw inside the measurement window.
struct ThreadStats {
  std::vector<std::uint32_t> next_us, submit_us, healthz_us;
  long long cycles = 0;
  long long no_task = 0;
  std::map<std::string, long long> errors;  // "next 503", "submit transport", ...
};

struct Reply {
  int status = 0;  // 0: transport error
  std::string body;
};

// One keep-alive connection; reconnects after a transport error or a "Connection: close".
class Connection {
 public:
  Connection(const tcp::endpoint& ep, std::string host_header, int timeout_seconds)
      : ep_(ep), host_(std::move(host_header)), timeout_seconds_(timeout_seconds), socket_(ioc_) {}

  Reply Do(http::verb verb, const std::string& target, const std::string& token, const std::string& body) {
    Reply r;
    beast::error_code ec;
    if (!socket_.is_open() && !Connect(ec)) return r;
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, host_);
    req.set(http::field::user_agent, "fw_loadgen");
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (verb != http::verb::get) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.keep_alive(true);
    req.prepare_payload();
    http::write(socket_, req, ec);
    if (ec) return Drop();
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(socket_, buffer_, parser, ec);
    if (ec) return Drop();
    auto& res = parser.get();
    r.status = static_cast<int>(res.result_int());
    r.body = std::move(res.body());
    if (!res.keep_alive()) Drop();
    return r;
  }

 private:
  bool Connect(beast::error_code& ec) {
    buffer_.clear();
    socket_.connect(ep_, ec);
    if (ec) {
      socket_.close(ec);
      return false;
    }
    int one = 1;
    ::setsockopt(socket_.native_handle(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{timeout_seconds_, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return true;
  }

  Reply Drop() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    buffer_.clear();
    return {};
  }

  tcp::endpoint ep_;
  std::string host_;
  int timeout_seconds_;
  asio::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

std::string KindError(const char* kind, int status) {
  return status == 0 ? std::string(kind) + " transport" : std::string(kind) + " " + std::to_string(status);
}

// The assignment id of a /work/next answer; nullopt when there was no task.
std::optional<std::string> AssignmentId(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::value* a = v.as_object().if_contains("assignment");
  if (!a || !a->is_object()) return std::nullopt;
  const json::value* id = a->as_object().if_contains("id");
  if (!id || !id->is_string()) return std::nullopt;
  return std::string(id->as_string());
}

struct Percentiles {
  long long count = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0;  // milliseconds
};

Percentiles Summarize(std::vector<std::uint32_t>& us) {
  Percentiles p;
  p.count = static_cast<long long>(us.size());
  if (us.empty()) return p;
  std::sort(us.begin(), us.end());
  auto at = [&](double q) {
    auto i = static_cast<std::size_t>(q * static_cast<double>(us.size() - 1) + 0.5);
    return static_cast<double>(us[std::min(i, us.size() - 1)]) / 1000.0;
  };
  p.p50 = at(0.50);
  p.p90 = at(0.90);
  p.p99 = at(0.99);
  p.max = static_cast<double>(us.back()) / 1000.0;
  return p;
}

json::object ToJson(const Percentiles& p, double seconds) {
  return {{"count", p.count},       {"rps", seconds > 0 ? static_cast<double>(p.count) / seconds : 0.0},
          {"p50_ms", p.p50},        {"p90_ms", p.p90},
          {"p99_ms", p.p99},        {"max_ms", p.max}};
}

std::vector<std::string> ReadTokens(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

int Run(const Options& o) {
  if (o.mode != "cycle" && o.mode != "healthz") {
    std::fprintf(stderr, "fw_loadgen: --mode must be cycle or healthz\n");
    return 2;
  }
  if (o.port <= 0 || o.port > 65535 || o.connections <= 0 || o.duration_seconds <= 0 || o.warmup_seconds < 0 ||
      o.duration_seconds + o.warmup_seconds > 3600) {
    std::fprintf(stderr, "fw_loadgen: bad --port, --connections, --duration or --warmup\n");
    return 2;
  }
  std::vector<std::string> tokens;
  if (o.mode == "cycle") {
    if (o.project.empty()) {
      std::fprintf(stderr, "fw_loadgen: cycle mode needs --project\n");
      return 2;
    }
    tokens = ReadTokens(o.tokens_file);
    if (tokens.empty()) {
      std::fprintf(stderr, "fw_loadgen: no tokens in '%s'\n", o.tokens_file.c_str());
      return 2;
    }
  }

  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  boost::system::error_code ec;
  auto results = resolver.resolve(o.host, std::to_string(o.port), ec);
  if (ec || results.empty()) {
    std::fprintf(stderr, "fw_loadgen: cannot resolve %s: %s\n", o.host.c_str(), ec.message().c_str());
    return 2;
  }
  tcp::endpoint ep = results.begin()->endpoint();
  if (!ep.address().is_loopback()) {
    std::fprintf(stderr, "fw_loadgen: %s is not a loopback address; refusing to load it\n", o.host.c_str());
    return 2;
  }
  const std::string host_header = o.host + ":" + std::to_string(o.port);

  const auto t_start = Clock::now();
  const auto t_measure = t_start + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(o.warmup_seconds));
  const auto t_end = t_measure + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(o.duration_seconds));

  // The watchdog: a server that stops answering must not keep the benchmark running.
  std::thread([limit = o.warmup_seconds + o.duration_seconds + o.timeout_seconds + 15.0] {
    std::this_thread::sleep_for(std::chrono::duration<double>(limit));
    std::fprintf(stderr, "fw_loadgen: the run did not end within %.0f s; giving up\n", limit);
    std::_Exit(3);
  }).detach();

  const std::string run_id = std::to_string(::getpid()) + "-" +
                             std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  const std::string next_body = json::serialize(json::object{{"project_id", o.project}});

  std::vector<ThreadStats> stats(static_cast<std::size_t>(o.connections));
  std::vector<std::thread> threads;
  for (int c = 0; c < o.connections; ++c) {
    threads.emplace_back([&, c] {
      ThreadStats& st = stats[static_cast<std::size_t>(c)];
      Connection conn(ep, host_header, o.timeout_seconds);
      const std::string token = tokens.empty() ? std::string() : tokens[static_cast<std::size_t>(c) % tokens.size()];
      long long seq = 0;
      // Times one request; returns the reply and records it when it ended inside the window.
      auto timed = [&](const char* kind, std::vector<std::uint32_t>& lat, http::verb verb, const std::string& target,
                       const std::string& body, int want) {
        auto t0 = Clock::now();
        Reply r = conn.Do(verb, target, token, body);
        auto t1 = Clock::now();
        if (t0 >= t_measure && t1 <= t_end) {
          lat.push_back(static_cast<std::uint32_t>(
              std::min<long long>(std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count(), UINT32_MAX)));
          if (r.status != want) st.errors[KindError(kind, r.status)]++;
        }
        if (r.status == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));  // no hot reconnect loop
        return r;
      };
      while (Clock::now() < t_end) {
        if (o.mode == "healthz") {
          timed("healthz", st.healthz_us, http::verb::get, "/healthz", "", 200);
          continue;
        }
        Reply next = timed("next", st.next_us, http::verb::post, "/api/v1/work/next", next_body, 200);
        if (next.status != 200) continue;
        auto id = AssignmentId(next.body);
        if (!id) {
          st.no_task++;
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
          continue;
        }
        json::object body{{"answer", json::object{{"label", "correct"}, {"confidence", 1 + seq % 5}}},
                          {"idempotency_key", "lg-" + run_id + "-" + std::to_string(c) + "-" + std::to_string(seq++)}};
        auto t0 = Clock::now();
        Reply sub = timed("submit", st.submit_us, http::verb::post, "/api/v1/assignments/" + *id + "/submit",
                          json::serialize(body), 201);
        if (sub.status == 201 && t0 >= t_measure && Clock::now() <= t_end) st.cycles++;
      }
    });
  }
  for (auto& t : threads) t.join();

  ThreadStats all;
  for (ThreadStats& s : stats) {
    all.next_us.insert(all.next_us.end(), s.next_us.begin(), s.next_us.end());
    all.submit_us.insert(all.submit_us.end(), s.submit_us.begin(), s.submit_us.end());
    all.healthz_us.insert(all.healthz_us.end(), s.healthz_us.begin(), s.healthz_us.end());
    all.cycles += s.cycles;
    all.no_task += s.no_task;
    for (const auto& [k, v] : s.errors) all.errors[k] += v;
  }
  const double secs = o.duration_seconds;
  long long error_count = 0;
  for (const auto& [k, v] : all.errors) error_count += v;

  std::vector<std::pair<std::string, Percentiles>> kinds;
  if (o.mode == "healthz") {
    kinds.emplace_back("healthz", Summarize(all.healthz_us));
  } else {
    kinds.emplace_back("next", Summarize(all.next_us));
    kinds.emplace_back("submit", Summarize(all.submit_us));
  }
  long long requests = 0;
  for (const auto& [k, p] : kinds) requests += p.count;

  std::printf("fw_loadgen %s: %d connections, %.1f s measured after %.1f s warm-up\n", o.mode.c_str(),
              o.connections, secs, o.warmup_seconds);
  if (o.mode == "cycle") {
    std::printf("  cycles:   %lld (%.1f/s)   no task: %lld\n", all.cycles, static_cast<double>(all.cycles) / secs,
                all.no_task);
  }
  std::printf("  requests: %lld (%.1f/s)\n", requests, static_cast<double>(requests) / secs);
  std::printf("  %-8s %10s %10s %9s %9s %9s %9s\n", "kind", "count", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms");
  for (const auto& [k, p] : kinds) {
    std::printf("  %-8s %10lld %10.1f %9.2f %9.2f %9.2f %9.2f\n", k.c_str(), p.count,
                static_cast<double>(p.count) / secs, p.p50, p.p90, p.p99, p.max);
  }
  if (all.errors.empty()) {
    std::printf("  errors:   none\n");
  } else {
    std::printf("  errors:  ");
    for (const auto& [k, v] : all.errors) std::printf(" %s: %lld;", k.c_str(), v);
    std::printf("\n");
  }

  json::object out{{"mode", o.mode},
                   {"connections", o.connections},
                   {"duration_s", secs},
                   {"warmup_s", o.warmup_seconds},
                   {"requests", requests},
                   {"requests_per_s", static_cast<double>(requests) / secs},
                   {"errors_total", error_count}};
  if (o.mode == "cycle") {
    out["cycles"] = all.cycles;
    out["cycles_per_s"] = static_cast<double>(all.cycles) / secs;
    out["no_task"] = all.no_task;
  }
  for (const auto& [k, p] : kinds) out[k] = ToJson(p, secs);
  json::object errors;
  for (const auto& [k, v] : all.errors) errors[k] = v;
  out["errors"] = std::move(errors);
  std::printf("%s\n", json::serialize(out).c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"fw_loadgen: closed-loop HTTP load on a local Fachwerk server"};
  Options o;
  cli.add_option("--host", o.host, "server address, loopback only (default 127.0.0.1)");
  cli.add_option("--port", o.port, "server port")->required();
  cli.add_option("--connections", o.connections, "keep-alive connections, one thread each (default 64)");
  cli.add_option("--duration", o.duration_seconds, "measured seconds (default 20)");
  cli.add_option("--warmup", o.warmup_seconds, "seconds of load before measuring (default 2)");
  cli.add_option("--mode", o.mode, "cycle (next + submit) or healthz (default cycle)");
  cli.add_option("--tokens", o.tokens_file, "expert API tokens, one a line (cycle mode)");
  cli.add_option("--project", o.project, "project id prj_... (cycle mode)");
  cli.add_option("--timeout", o.timeout_seconds, "seconds one request may take (default 30)");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  return Run(o);
}
