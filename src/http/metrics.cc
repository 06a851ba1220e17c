#include "http/metrics.h"

#include <fmt/format.h>

namespace fw::http {

void Metrics::ObserveRequest(const std::string& method, const std::string& route, int status,
                             double seconds) {
  Series* s;
  {
    std::lock_guard lock(mu_);
    auto& slot = series_[{method, route}];
    if (!slot) slot = std::make_unique<Series>();
    s = slot.get();
  }
  int cls = status / 100;
  if (cls < 1 || cls > 5) cls = 5;
  s->by_class[static_cast<std::size_t>(cls)]++;
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  s->buckets[b]++;
  s->micros_sum += static_cast<long long>(seconds * 1e6);
  s->count++;
}

void Metrics::AddCallback(std::string name, std::string help, std::string type,
                          std::function<double()> read) {
  std::lock_guard lock(mu_);
  callbacks_.push_back({std::move(name), std::move(help), std::move(type), std::move(read), {}});
}

void Metrics::AddCallbacks(std::string name, std::string help, std::string type,
                           std::vector<std::pair<std::string, std::function<double()>>> series) {
  std::lock_guard lock(mu_);
  callbacks_.push_back({std::move(name), std::move(help), std::move(type), {}, std::move(series)});
}

std::string Metrics::Render() const {
  std::string out;
  std::lock_guard lock(mu_);
  out += "# HELP fachwerk_http_requests_total HTTP requests by route and status class.\n";
  out += "# TYPE fachwerk_http_requests_total counter\n";
  for (const auto& [key, s] : series_) {
    for (int c = 1; c <= 5; ++c) {
      long long n = s->by_class[static_cast<std::size_t>(c)].load();
      if (n == 0) continue;
      out += fmt::format("fachwerk_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}xx\"}} {}\n",
                         key.first, key.second, c, n);
    }
  }
  out += "# HELP fachwerk_http_request_duration_seconds HTTP request latency.\n";
  out += "# TYPE fachwerk_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : series_) {
    long long cumulative = 0;
    for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += s->buckets[b].load();
      std::string le = b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
      out += fmt::format(
          "fachwerk_http_request_duration_seconds_bucket{{method=\"{}\",route=\"{}\",le=\"{}\"}} {}\n",
          key.first, key.second, le, cumulative);
    }
    out += fmt::format("fachwerk_http_request_duration_seconds_sum{{method=\"{}\",route=\"{}\"}} {}\n",
                       key.first, key.second, static_cast<double>(s->micros_sum.load()) / 1e6);
    out += fmt::format("fachwerk_http_request_duration_seconds_count{{method=\"{}\",route=\"{}\"}} {}\n",
                       key.first, key.second, s->count.load());
  }
  for (const Callback& c : callbacks_) {
    if (!c.read) {
      out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", c.name, c.help, c.name, c.type);
      for (const auto& [labels, read] : c.labelled) {
        out += fmt::format("{}{{{}}} {}\n", c.name, labels, read());
      }
      continue;
    }
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", c.name, c.help, c.name, c.type, c.name,
                       c.read());
  }
  return out;
}

}  // namespace fw::http
