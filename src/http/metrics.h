#pragma once
// Request metrics in Prometheus' text format: per route and status class a counter and a
// latency histogram, plus gauges and counters that other rooms register by callback.
// Thread safety: Observe and Render from any thread; register callbacks before serving.

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace fw::http {

class Metrics {
 public:
  // Records one request. `route` is the route's pattern ("unmatched" when none matched).
  void ObserveRequest(const std::string& method, const std::string& route, int status,
                      double seconds);

  // A value read at scrape time. `type` is "gauge" or "counter".
  void AddCallback(std::string name, std::string help, std::string type,
                   std::function<double()> read);

  // A family of values read at scrape time, one series per label set (`labels` as written
  // between the braces, e.g. `outcome="accepted"`), under one HELP and TYPE.
  void AddCallbacks(std::string name, std::string help, std::string type,
                    std::vector<std::pair<std::string, std::function<double()>>> series);

  // The whole exposition, "# HELP"/"# TYPE" lines included.
  std::string Render() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  5.0};
  struct Series {
    std::array<std::atomic<long long>, 6> by_class{};  // 1xx..5xx, index status/100
    std::array<std::atomic<long long>, kBuckets.size() + 1> buckets{};
    std::atomic<long long> micros_sum{0};
    std::atomic<long long> count{0};
  };
  struct Callback {
    std::string name, help, type;
    std::function<double()> read;
    std::vector<std::pair<std::string, std::function<double()>>> labelled;  // a family
  };

  mutable std::mutex mu_;  // guards series_ (the map; Series values are atomics)
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Series>> series_;
  std::vector<Callback> callbacks_;
};

}  // namespace fw::http
