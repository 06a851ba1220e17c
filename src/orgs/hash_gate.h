#pragma once
// A counting gate for password hashing. Each argon2id computation takes 64 MiB and about a
// CPU-second, so a flood of logins must not run them all at once: at most `max_running`
// computations hold a permit, at most `max_waiting` more wait (each at most `max_wait`) for
// one, and anything beyond is refused at once. Memory then stays bounded whatever arrives.

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "base/error.h"

namespace fw::orgs {

struct HashGateOptions {
  int max_running = 2;
  int max_waiting = 8;
  std::chrono::milliseconds max_wait{5000};
};

// Thread safety: any thread. A Permit must not outlive its gate.
class HashGate {
 public:
  // The right to run one password hash; released when destroyed. Move-only.
  class Permit {
   public:
    Permit(Permit&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Permit& operator=(Permit&&) = delete;
    Permit(const Permit&) = delete;
    ~Permit();

   private:
    friend class HashGate;
    explicit Permit(HashGate* gate) : gate_(gate) {}
    HashGate* gate_;  // not owned; null once moved from
  };

  explicit HashGate(HashGateOptions options);

  // A permit, after waiting for one when `max_running` are out. Errors: kUnavailable reason
  // "overloaded" when `max_waiting` callers already wait or no permit came within `max_wait`;
  // nothing was hashed, and a retry after a second or two usually gets through.
  [[nodiscard]] Result<Permit> Enter();

  // Permits out and callers waiting now (for tests and metrics).
  int running() const;
  int waiting() const;

 private:
  void Leave();

  const HashGateOptions options_;
  mutable std::mutex mu_;
  std::condition_variable released_;
  int running_ = 0;  // guarded by mu_
  int waiting_ = 0;  // guarded by mu_
};

}  // namespace fw::orgs
