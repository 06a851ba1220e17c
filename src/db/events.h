#pragma once
// Topic<Event>: the subscribers to one kind of event a room publishes ("submission stored",
// later "review decided"), so the publisher does not know who cares. Two kinds of subscriber:
//
//   - in the transaction: runs inside the publisher's write transaction, after the change it
//     reports, and commits or rolls back with it (a ledger posting, an audit entry). Its error
//     fails the publisher's transaction: nothing of the change is stored, and the publisher
//     returns the error.
//   - after the commit: runs once the change is durable, on the publisher's thread (marking a
//     report for its next pass, a webhook). It must be cheap and cannot fail the change, which
//     is already acknowledged: an exception it throws is logged with its name and dropped.
//
// A retried request that changes nothing (an idempotent replay) publishes nothing, so each
// subscriber sees each event once per commit. In-transaction subscribers run again when the
// store retries a whole transaction, inside the new attempt (their earlier writes rolled back).
//
// Thread safety: subscribe while wiring, before any publish; publishing is then safe from any
// thread (the subscriber lists are only read). Subscribers must be safe to call from any thread.

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"

namespace fw::db {

template <typename Event>
class Topic {
 public:
  using InTransaction = std::function<Status(soci::session& s, const Event& event)>;
  using AfterCommit = std::function<void(const Event& event)>;

  // `name` identifies the subscriber in logs ("reports", "ledger").
  void SubscribeInTransaction(std::string name, InTransaction fn) {
    in_transaction_.emplace_back(std::move(name), std::move(fn));
  }
  void SubscribeAfterCommit(std::string name, AfterCommit fn) {
    after_commit_.emplace_back(std::move(name), std::move(fn));
  }

  // For the publisher, inside its write transaction `s` after the change: runs the
  // in-transaction subscribers in subscription order and returns the first error (the
  // publisher then fails its transaction with it); the rest do not run.
  [[nodiscard]] Status PublishInTransaction(soci::session& s, const Event& event) const {
    for (const auto& [name, fn] : in_transaction_) {
      if (auto st = fn(s, event); !st) return st;
    }
    return {};
  }

  // For the publisher, after its transaction committed: runs every after-commit subscriber.
  void PublishAfterCommit(const Event& event) const {
    for (const auto& [name, fn] : after_commit_) {
      try {
        fn(event);
      } catch (const std::exception& e) {
        spdlog::error("event subscriber {} failed after the commit: {}", name, e.what());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, InTransaction>> in_transaction_;
  std::vector<std::pair<std::string, AfterCommit>> after_commit_;
};

}  // namespace fw::db
