#include "orgs/hash_gate.h"

namespace fw::orgs {

namespace {
Error Overloaded() {
  return Error(ErrorCode::kUnavailable, "the server is busy checking passwords; try again shortly",
               {}, "overloaded");
}
}  // namespace

HashGate::Permit::~Permit() {
  if (gate_ != nullptr) gate_->Leave();
}

HashGate::HashGate(HashGateOptions options) : options_(options) {
  FW_CHECK(options_.max_running >= 1 && options_.max_waiting >= 0);
}

Result<HashGate::Permit> HashGate::Enter() {
  std::unique_lock lock(mu_);
  if (running_ < options_.max_running) {
    ++running_;
    return Permit(this);
  }
  if (waiting_ >= options_.max_waiting) return Fail(Overloaded());
  ++waiting_;
  bool got = released_.wait_for(lock, options_.max_wait,
                                [this] { return running_ < options_.max_running; });
  --waiting_;
  if (!got) return Fail(Overloaded());
  ++running_;
  return Permit(this);
}

void HashGate::Leave() {
  {
    std::lock_guard lock(mu_);
    --running_;
  }
  released_.notify_one();
}

int HashGate::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

int HashGate::waiting() const {
  std::lock_guard lock(mu_);
  return waiting_;
}

}  // namespace fw::orgs
