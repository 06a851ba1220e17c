#pragma once
// Guarded<T>: shared mutable state and its mutex in one object, the value reachable only under
// the lock. g++ ignores thread-safety annotations, so the type is what enforces the lock. Keep
// I/O out of `fn`. Thread safety: any thread; `With` holds the lock for the call.

#include <mutex>
#include <utility>

namespace fw {

template <typename T>
class Guarded {
 public:
  Guarded() = default;
  explicit Guarded(T value) : value_(std::move(value)) {}

  // Runs `fn(T&)` under the lock and returns its result.
  template <typename Fn>
  auto With(Fn&& fn) {
    std::lock_guard lock(mu_);
    return std::forward<Fn>(fn)(value_);
  }
  template <typename Fn>
  auto With(Fn&& fn) const {
    std::lock_guard lock(mu_);
    return std::forward<Fn>(fn)(static_cast<const T&>(value_));
  }

 private:
  mutable std::mutex mu_;
  T value_;
};

}  // namespace fw
