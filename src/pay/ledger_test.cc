// The ledger on SQLite and PostgreSQL: random sequences of postings always balance and
// balances always equal their postings; a reference posts once, however often and however
// concurrently it is posted; reversals negate once.

#include "pay/ledger.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <thread>

#include "db/query.h"
#include "orgs/testing.h"

namespace fw::pay {
namespace {

using orgs::testing::IsError;

class LedgerTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    for (int i = 0; i < 3; ++i) {
      labs_.push_back(MakeLab("lab" + std::to_string(i)).id);
      experts_.push_back(MakeUser("expert" + std::to_string(i) + "@example.org", Role::kExpert).id);
    }
    author_ = MakeUser("op@example.org", Role::kOperator).id;
  }

  Result<PostResult> Post(const NewTransaction& t) {
    return db_->Write<PostResult>(
        [&](soci::session& s) -> Result<PostResult> { return ledger_.Post(s, t); });
  }

  std::int64_t Balance(AccountRef a, const std::string& currency = "USD") {
    return db_
        ->Read<std::int64_t>([&](soci::session& s) -> Result<std::int64_t> {
          return Ledger::Balance(s, a, currency);
        })
        .value_or(-999);
  }

  CheckReport Check() {
    auto r = Ledger::Check(*db_);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(CheckReport{});
  }

  NewTransaction Charge(const std::string& reference, std::int64_t expert, std::int64_t lab,
                        std::int64_t cost, std::int64_t price) {
    NewTransaction t;
    t.kind = std::string(kDecision);
    t.reference = reference;
    t.currency = "USD";
    t.outcome = "accepted";
    t.org_id = lab;
    t.expert_id = expert;
    t.postings = {{{AccountKind::kLabReceivable, lab}, price},
                  {{AccountKind::kExpertPayable, expert}, -cost},
                  {{AccountKind::kPlatformRevenue, 0}, cost - price}};
    return t;
  }

  Ledger ledger_{clock_};
  std::vector<std::int64_t> labs_, experts_;
  std::int64_t author_ = 0;
};

TEST_P(LedgerTest, PostsBalancedTransactionsAndMovesTheBalances) {
  if (NotReady()) return;
  auto r = Post(Charge("decision:1", experts_[0], labs_[0], 1000, 1250));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->created);
  EXPECT_EQ(Balance({AccountKind::kLabReceivable, labs_[0]}), 1250);
  EXPECT_EQ(Balance({AccountKind::kExpertPayable, experts_[0]}), -1000);
  EXPECT_EQ(Balance({AccountKind::kPlatformRevenue, 0}), -250);
  auto t =
      db_->Read<Transaction>([&](soci::session& s) { return Ledger::Get(s, r->transaction_id); });
  ASSERT_TRUE(t);
  EXPECT_EQ(t->reference, "decision:1");
  EXPECT_EQ(t->postings.size(), 3u);
  EXPECT_EQ(t->created_at, clock_.Now());
  EXPECT_TRUE(Check().mismatches.empty());
}

TEST_P(LedgerTest, RefusesPostingsThatDoNotSumToZeroAndWritesNothing) {
  if (NotReady()) return;
  NewTransaction t = Charge("decision:2", experts_[0], labs_[0], 1000, 1250);
  t.postings[0].amount_minor += 1;
  EXPECT_TRUE(IsError(Post(t), ErrorCode::kUnprocessable, {}, "unbalanced"));
  t = Charge("decision:2", experts_[0], labs_[0], 1000, 1250);
  t.currency = "XYZ";
  EXPECT_TRUE(IsError(Post(t), ErrorCode::kUnprocessable, "currency", "unknown_currency"));
  t = Charge("decision:2", experts_[0], labs_[0], 0, 0);
  t.postings = {{{AccountKind::kLabReceivable, labs_[0]}, std::numeric_limits<std::int64_t>::max()},
                {{AccountKind::kPlatformRevenue, 0}, 1},
                {{AccountKind::kPlatformCash, 0}, -1}};
  EXPECT_TRUE(IsError(Post(t), ErrorCode::kUnprocessable, {}, "amount_overflow"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM ledger_transactions"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM ledger_postings"), 0);
}

TEST_P(LedgerTest, RefusesABalanceThatWouldOverflow) {
  if (NotReady()) return;
  const std::int64_t big = std::numeric_limits<std::int64_t>::max() - 10;
  NewTransaction t = Charge("a", experts_[0], labs_[0], 0, 0);
  t.postings = {{{AccountKind::kLabReceivable, labs_[0]}, big},
                {{AccountKind::kPlatformRevenue, 0}, -big}};
  ASSERT_TRUE(Post(t));
  t.reference = "b";
  EXPECT_TRUE(IsError(Post(t), ErrorCode::kUnprocessable, {}, "amount_overflow"));
  EXPECT_EQ(Balance({AccountKind::kLabReceivable, labs_[0]}), big);
  EXPECT_TRUE(Check().mismatches.empty());
}

TEST_P(LedgerTest, AReferencePostsOnceHoweverOftenItIsRetried) {
  if (NotReady()) return;
  auto first = Post(Charge("decision:3", experts_[0], labs_[0], 700, 800));
  ASSERT_TRUE(first);
  for (int i = 0; i < 3; ++i) {
    auto again = Post(Charge("decision:3", experts_[0], labs_[0], 700, 800));
    ASSERT_TRUE(again);
    EXPECT_FALSE(again->created);
    EXPECT_EQ(again->transaction_id, first->transaction_id);
  }
  EXPECT_EQ(Balance({AccountKind::kExpertPayable, experts_[0]}), -700);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM ledger_transactions"), 1);
}

TEST_P(LedgerTest, AReferencePostedConcurrentlyPostsOnce) {
  if (NotReady()) return;
  std::vector<std::thread> threads;
  std::atomic<int> created{0}, failed{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = Post(Charge("decision:4", experts_[1], labs_[1], 500, 600));
      if (!r) {
        ++failed;
      } else if (r->created) {
        ++created;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(Balance({AccountKind::kExpertPayable, experts_[1]}), -500);
  EXPECT_EQ(Balance({AccountKind::kLabReceivable, labs_[1]}), 600);
  EXPECT_TRUE(Check().mismatches.empty());
}

TEST_P(LedgerTest, AReversalNegatesTheOriginalOnce) {
  if (NotReady()) return;
  auto posted = Post(Charge("decision:5", experts_[0], labs_[0], 1000, 1200));
  ASSERT_TRUE(posted);
  auto reverse = [&] {
    return db_->Write<Transaction>([&](soci::session& s) {
      return ledger_.Reverse(s, posted->transaction_id, author_, "paid in error");
    });
  };
  auto r = reverse();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->kind, "reversal");
  EXPECT_EQ(r->reverses, posted->transaction_id);
  EXPECT_EQ(r->reason, "paid in error");
  EXPECT_EQ(r->author_id, author_);
  EXPECT_EQ(Balance({AccountKind::kExpertPayable, experts_[0]}), 0);
  EXPECT_EQ(Balance({AccountKind::kLabReceivable, labs_[0]}), 0);
  EXPECT_EQ(Balance({AccountKind::kPlatformRevenue, 0}), 0);
  EXPECT_TRUE(IsError(reverse(), ErrorCode::kConflict, {}, "already_reversed"));
  EXPECT_TRUE(IsError(db_->Write<Transaction>([&](soci::session& s) {
    return ledger_.Reverse(s, r->id, author_, "again");
  }),
                      ErrorCode::kConflict, {}, "is_reversal"));
  EXPECT_TRUE(IsError(db_->Write<Transaction>([&](soci::session& s) {
    return ledger_.Reverse(s, 99999, author_, "none");
  }),
                      ErrorCode::kNotFound));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM ledger_transactions"), 2);
  EXPECT_TRUE(Check().mismatches.empty());
}

// The property: over random sequences of transactions (random accounts, amounts and
// currencies; retried references; reversals; refused unbalanced ones), every stored
// transaction sums to zero and every balance equals the sum of its postings and the model's.
TEST_P(LedgerTest, RandomSequencesAlwaysBalance) {
  if (NotReady()) return;
  std::mt19937_64 rng(GetParam() == "sqlite" ? 1 : 2);
  const std::vector<std::string> currencies = {"USD", "EUR", "JPY"};
  std::map<std::tuple<int, std::int64_t, std::string>, std::int64_t> model;
  std::vector<std::int64_t> posted_ids;
  std::map<std::int64_t, NewTransaction> posted;
  std::set<std::int64_t> reversed;
  auto random_account = [&]() -> AccountRef {
    switch (rng() % 4) {
      case 0:
        return {AccountKind::kExpertPayable, experts_[rng() % experts_.size()]};
      case 1:
        return {AccountKind::kLabReceivable, labs_[rng() % labs_.size()]};
      case 2:
        return {AccountKind::kPlatformRevenue, 0};
      default:
        return {AccountKind::kPlatformCash, 0};
    }
  };
  auto apply = [&](const NewTransaction& t, int sign) {
    for (const Posting& p : t.postings) {
      model[{static_cast<int>(p.account.kind), p.account.owner_id, t.currency}] +=
          sign * p.amount_minor;
    }
  };
  int stored = 0;
  for (int step = 0; step < 150; ++step) {
    const int what = static_cast<int>(rng() % 10);
    if (what == 0 && !posted_ids.empty()) {
      const std::int64_t id = posted_ids[rng() % posted_ids.size()];
      auto r = db_->Write<Transaction>(
          [&](soci::session& s) { return ledger_.Reverse(s, id, author_, "correction"); });
      if (reversed.insert(id).second) {
        ASSERT_TRUE(r) << r.error().message;
        apply(posted[id], -1);
        ++stored;
      } else {
        EXPECT_TRUE(IsError(r, ErrorCode::kConflict, {}, "already_reversed"));
      }
      continue;
    }
    NewTransaction t;
    t.kind = std::string(kAdjustment);
    t.reference = "ref:" + std::to_string(what == 1 && step > 0 ? rng() % step : step);
    t.currency = currencies[rng() % currencies.size()];
    t.reason = "property";
    const int n = 2 + static_cast<int>(rng() % 4);
    std::int64_t sum = 0;
    for (int i = 0; i + 1 < n; ++i) {
      const std::int64_t amount = static_cast<std::int64_t>(rng() % 2000001) - 1000000;
      t.postings.push_back({random_account(), amount});
      sum += amount;
    }
    t.postings.push_back({random_account(), -sum});
    const bool unbalanced = what == 2;
    if (unbalanced) t.postings[0].amount_minor += 1 + static_cast<std::int64_t>(rng() % 5);
    auto r = Post(t);
    if (unbalanced) {
      EXPECT_TRUE(IsError(r, ErrorCode::kUnprocessable, {}, "unbalanced"));
      continue;
    }
    ASSERT_TRUE(r) << r.error().message;
    if (r->created) {
      apply(t, 1);
      posted_ids.push_back(r->transaction_id);
      posted[r->transaction_id] = t;
      ++stored;
    }
    if (step % 25 == 0) {
      EXPECT_TRUE(Check().mismatches.empty());
    }
  }
  CheckReport report = Check();
  EXPECT_TRUE(report.mismatches.empty()) << report.mismatches.front();
  EXPECT_EQ(report.transactions, stored);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM (SELECT transaction_id FROM ledger_postings GROUP BY "
                     "transaction_id HAVING SUM(amount_minor) <> 0) x"),
            0);
  for (const auto& [key, amount] : model) {
    const auto& [kind, owner, currency] = key;
    EXPECT_EQ(Balance({static_cast<AccountKind>(kind), owner}, currency), amount);
  }
}

TEST_P(LedgerTest, CheckFindsABalanceThatDisagreesWithItsPostings) {
  if (NotReady()) return;
  ASSERT_TRUE(Post(Charge("decision:6", experts_[2], labs_[2], 300, 330)));
  Exec(
      "UPDATE ledger_accounts SET balance_minor = balance_minor + 1 WHERE kind = "
      "'expert_payable'");
  CheckReport r = Check();
  EXPECT_EQ(r.transactions, 1);
  ASSERT_EQ(r.mismatches.size(), 1u);
  EXPECT_NE(r.mismatches[0].find("postings sum to -300"), std::string::npos) << r.mismatches[0];
  Exec(
      "UPDATE ledger_accounts SET balance_minor = balance_minor - 1 WHERE kind = "
      "'expert_payable'");
  Exec(
      "UPDATE ledger_postings SET amount_minor = amount_minor + 5 WHERE id = (SELECT MIN(id) "
      "FROM ledger_postings)");
  r = Check();
  EXPECT_GE(r.mismatches.size(), 2u);  // the transaction and the account it moved
}

TEST_P(LedgerTest, ConcurrentBatchesOfPostingsNeverDeadlock) {
  if (NotReady()) return;
  // Each thread posts batches of decisions for the experts in a different order in one
  // transaction (as the automatic acceptance does), while bonuses and payouts run alongside.
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 6; ++thread) {
    threads.emplace_back([&, thread] {
      for (int round = 0; round < 5; ++round) {
        auto r = db_->Write<bool>([&](soci::session& s) -> Result<bool> {
          for (int i = 0; i < 3; ++i) {
            const std::int64_t expert = experts_[(thread + (thread % 2 ? 2 - i : i)) % 3];
            NewTransaction t = Charge("batch:" + std::to_string(thread) + ":" +
                                          std::to_string(round) + ":" + std::to_string(i),
                                      expert, labs_[(thread + i) % 3], 100, 120);
            if (thread % 3 == 2) {
              t.postings = {{{AccountKind::kExpertPayable, expert}, 100},
                            {{AccountKind::kPlatformCash, 0}, -100}};
            }
            FW_TRY(PostResult p, ledger_.Post(s, t));
            (void)p;
          }
          return true;
        });
        if (!r) ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM ledger_transactions"), 6 * 5 * 3);
  EXPECT_TRUE(Check().mismatches.empty());
}

FW_INSTANTIATE_BACKENDS(LedgerTest);

}  // namespace
}  // namespace fw::pay
