#pragma once
// Test support for pay (include it from *_test.cc only; needs GoogleTest): PayServicesTest
// opens a fresh database per test (orgs::testing::ServicesTest, on SQLite and PostgreSQL) with
// a PayService and a BillingService, two labs with an owner each, an operator, an expert and a
// project, and helpers that seed work, post decisions and read balances.

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "db/query.h"
#include "orgs/testing.h"
#include "pay/billing.h"
#include "pay/pay.h"

namespace fw::pay::testing {

class PayServicesTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    pay_ = std::make_unique<PayService>(*db_, clock_, tenancy_);
    billing_ = std::make_unique<BillingService>(*db_, clock_, tenancy_, pay_->ledger());
    lab_ = MakeLab("acme");
    other_lab_ = MakeLab("other");
    owner_ = CallerOf(MakeUser("owner@acme.org", Role::kLabOwner, lab_.id));
    other_owner_ = CallerOf(MakeUser("owner@other.org", Role::kLabOwner, other_lab_.id));
    op_ = CallerOf(MakeUser("op@example.org", Role::kOperator));
    expert_ = MakeUser("expert@example.org", Role::kExpert).id;
    project_ = MakeProject(lab_.id, "physics", 3);
  }

  std::int64_t MakeProject(std::int64_t org, const std::string& domain, int level) {
    auto id = db_->Write<std::int64_t>([&](soci::session& s) -> Result<std::int64_t> {
      long long id = 0;
      db::Query(s,
                "INSERT INTO projects (org_id, name, template, domain, min_level, lease_seconds, "
                "created_at, updated_at) VALUES (:o, :n, '{}', :d, :l, 3600, 0, 0) RETURNING id")
          .Bind(static_cast<long long>(org))
          .Bind("Project " + domain)
          .Bind(domain)
          .Bind(level)
          .One(id);
      return static_cast<std::int64_t>(id);
    });
    EXPECT_TRUE(id);
    return id.value_or(0);
  }

  // An item, an assignment and (when `submit`) a submission on `project`; returns the
  // assignment and submission ids.
  std::pair<std::int64_t, std::int64_t> MakeWork(std::int64_t project, std::int64_t org,
                                                 bool submit = true) {
    auto r = db_->Write<std::pair<std::int64_t, std::int64_t>>(
        [&](soci::session& s) -> Result<std::pair<std::int64_t, std::int64_t>> {
          long long item = 0, assignment = 0, submission = 0;
          db::Query(s,
                    "INSERT INTO items (org_id, project_id, payload, created_at) VALUES (:o, :p, "
                    "'{}', 0) RETURNING id")
              .Bind(static_cast<long long>(org))
              .Bind(static_cast<long long>(project))
              .One(item);
          db::Query(s,
                    "INSERT INTO assignments (org_id, project_id, item_id, expert_id, state, "
                    "leased_at, lease_expires_at, last_heartbeat_at) VALUES (:o, :p, :i, :e, :st, "
                    "0, 0, 0) RETURNING id")
              .Bind(static_cast<long long>(org))
              .Bind(static_cast<long long>(project))
              .Bind(item)
              .Bind(static_cast<long long>(expert_))
              .Bind(submit ? "submitted" : "active")
              .One(assignment);
          if (submit) {
            db::Query(s,
                      "INSERT INTO submissions (org_id, project_id, item_id, assignment_id, "
                      "expert_id, idempotency_key, answer, template_version, active_seconds, "
                      "leased_at, submitted_at) VALUES (:o, :p, :i, :a, :e, :k, '{}', 1, 0, 0, "
                      "0) RETURNING id")
                .Bind(static_cast<long long>(org))
                .Bind(static_cast<long long>(project))
                .Bind(item)
                .Bind(assignment)
                .Bind(static_cast<long long>(expert_))
                .Bind("k" + std::to_string(assignment))
                .One(submission);
          }
          return std::make_pair(static_cast<std::int64_t>(assignment),
                                static_cast<std::int64_t>(submission));
        });
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(std::make_pair<std::int64_t, std::int64_t>(0, 0));
  }

  Decision Decide(std::int64_t project, std::int64_t org, std::string outcome,
                  std::int64_t seconds) {
    auto [assignment, submission] = MakeWork(project, org);
    Decision d;
    d.submission_id = submission;
    d.assignment_id = assignment;
    d.org_id = org;
    d.project_id = project;
    d.expert_id = expert_;
    d.outcome = std::move(outcome);
    d.decided_by = op_.user_id;
    d.active_seconds = seconds;
    d.payable_seconds = seconds;
    d.decided_at = clock_.Now();
    return d;
  }

  Status Post(const Decision& d) {
    auto r = db_->Write<bool>([&](soci::session& s) -> Result<bool> {
      FW_TRY_STATUS(pay_->OnDecided(s, d));
      return true;
    });
    if (!r) return tl::unexpected<Error>(r.error());
    return {};
  }

  std::int64_t Balance(AccountKind kind, std::int64_t owner, const std::string& currency = "USD") {
    return db_
        ->Read<std::int64_t>([&](soci::session& s) -> Result<std::int64_t> {
          return Ledger::Balance(s, {kind, owner}, currency);
        })
        .value_or(-999);
  }

  void Band(const std::string& domain, int level, std::int64_t hourly,
            const std::string& currency = "USD") {
    ASSERT_TRUE(pay_->PutBand(op_, {domain, level, currency, hourly}));
  }

  std::unique_ptr<PayService> pay_;
  std::unique_ptr<BillingService> billing_;
  orgs::Lab lab_, other_lab_;
  Caller owner_, other_owner_, op_;
  std::int64_t expert_ = 0, project_ = 0;
};

}  // namespace fw::pay::testing
