#pragma once
// Time as integer seconds since the Unix epoch (UTC). Services take a `Clock&` so tests can
// move time by hand instead of sleeping.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fw {

using UnixSeconds = std::int64_t;

// Source of the current time. Implementations: SystemClock, FakeClock. Thread safety: any
// thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixSeconds Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixSeconds Now() const override;
};

// A clock that moves only when told; for tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixSeconds start = 1'700'000'000) : now_(start) {}
  UnixSeconds Now() const override { return now_.load(); }
  void Advance(std::int64_t seconds) { now_ += seconds; }
  void Set(UnixSeconds t) { now_ = t; }

 private:
  std::atomic<UnixSeconds> now_;
};

// Formats as RFC 3339 UTC ("2026-11-25T10:00:00Z").
std::string FormatTime(UnixSeconds t);

// Parses an RFC 3339 time in UTC ("2026-11-25T10:00:00Z", fractional seconds ignored, or with
// an offset such as "+01:00") or a calendar date ("2026-11-25", meaning its midnight UTC).
// nullopt when `text` is neither or names no real day or time.
std::optional<UnixSeconds> ParseTime(std::string_view text);

}  // namespace fw
