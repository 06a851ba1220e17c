// Contract tests for Database, run against SQLite always and against PostgreSQL when
// FACHWERK_TEST_POSTGRES names a server URL (scripts/with-postgres sets it in `make test`).

#include "db/database.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "db/migrations.h"
#include "db/testing.h"

namespace fw::db {
namespace {

struct Backend {
  std::string name;
};

class DatabaseContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string why;
    tdb_ = testing::TestDatabase::Make(GetParam(), &why);
    if (!tdb_) GTEST_SKIP() << why;
    db_ = &tdb_->db();
  }

  Result<long long> InsertOrg(const std::string& slug) {
    return db_->Write<long long>([&](soci::session& s) -> Result<long long> {
      long long id = 0;
      s << "INSERT INTO orgs (name, slug, pseudonym_key, created_at) VALUES (:n, :s, 'k', 1) RETURNING id",
          soci::use(slug), soci::use(slug), soci::into(id);
      return id;
    });
  }

  Result<long long> CountOrgs() {
    return db_->Read<long long>([](soci::session& s) -> Result<long long> {
      long long n = 0;
      s << "SELECT COUNT(*) FROM orgs", soci::into(n);
      return n;
    });
  }

  std::unique_ptr<testing::TestDatabase> tdb_;
  Database* db_ = nullptr;
};

TEST_P(DatabaseContract, MigrationsApplyOnceAndInOrder) {
  auto applied = db_->AppliedMigrations();
  ASSERT_TRUE(applied);
  EXPECT_EQ(applied->size(), Migrations().size());
  auto again = db_->Migrate();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
}

TEST_P(DatabaseContract, WriteIsVisibleToReadsAndReturnsIds) {
  auto a = InsertOrg("a");
  auto b = InsertOrg("b");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(CountOrgs().value(), 2);
}

TEST_P(DatabaseContract, FailedJobLeavesNothing) {
  auto r = db_->Write<bool>([](soci::session& s) -> Result<bool> {
    s << "INSERT INTO orgs (name, slug, pseudonym_key, created_at) VALUES ('x', 'x', 'k', 1)";
    return Conflict("changed my mind");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(CountOrgs().value(), 0);
}

TEST_P(DatabaseContract, UniqueViolationIsAConflictAndKeepsTheFirstRow) {
  ASSERT_TRUE(InsertOrg("same"));
  auto second = InsertOrg("same");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
  EXPECT_EQ(CountOrgs().value(), 1);
}

TEST_P(DatabaseContract, ConcurrentWritersAllCommitAndFailuresStayIsolated) {
  constexpr int kThreads = 16, kPerThread = 25;
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string slug = "t" + std::to_string(t) + "_" + std::to_string(i);
        // Every fifth job fails after writing; its row must not survive its group.
        bool fail = i % 5 == 0;
        auto r = db_->Write<bool>([&](soci::session& s) -> Result<bool> {
          s << "INSERT INTO orgs (name, slug, pseudonym_key, created_at) VALUES (:n, :s, 'k', 1)",
              soci::use(slug), soci::use(slug);
          if (fail) return Conflict("fail on purpose");
          return true;
        });
        (r ? ok : failed)++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failed.load(), kThreads * kPerThread / 5);
  EXPECT_EQ(CountOrgs().value(), ok.load());
  EXPECT_EQ(db_->write_stats().failed_jobs, failed.load() + 0);
}

TEST_P(DatabaseContract, WriteAfterCloseIsUnavailable) {
  db_->Close();
  auto r = InsertOrg("late");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseContract, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST(Database, UnknownUrlSchemeIsRejected) {
  DatabaseOptions o;
  o.url = "mysql://localhost/x";
  auto db = Database::Open(o);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
}

TEST(Migrations, RenderSplitsStatementsAndDialects) {
  auto sqlite = RenderMigration("-- c\nCREATE TABLE a (id {{id}});\nCREATE TABLE b (x {{blob}});\n", Dialect::kSqlite);
  ASSERT_EQ(sqlite.size(), 2u);
  EXPECT_NE(sqlite[0].find("INTEGER PRIMARY KEY"), std::string::npos);
  auto pg = RenderMigration("CREATE TABLE a (id {{id}});", Dialect::kPostgres);
  ASSERT_EQ(pg.size(), 1u);
  EXPECT_NE(pg[0].find("IDENTITY"), std::string::npos);
}

}  // namespace
}  // namespace fw::db
