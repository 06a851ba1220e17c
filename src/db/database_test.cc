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
#include "db/query.h"
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

TEST_P(DatabaseContract, QueryReadsRowsNullsAndAllRows) {
  ASSERT_TRUE(InsertOrg("alpha"));
  ASSERT_TRUE(InsertOrg("beta"));
  auto got = db_->Read<bool>([](soci::session& s) -> Result<bool> {
    long long id = 0;
    std::string slug;
    EXPECT_TRUE(Query(s, "SELECT id, slug FROM orgs WHERE slug = :s").Bind("beta").One(id, slug));
    EXPECT_EQ(slug, "beta");
    EXPECT_GT(id, 0);
    std::string untouched = "kept";
    EXPECT_FALSE(Query(s, "SELECT slug FROM orgs WHERE slug = :s").Bind("gamma").One(untouched));
    EXPECT_EQ(untouched, "kept");
    std::optional<long long> null_value = 7;
    std::optional<std::string> text;
    EXPECT_TRUE(Query(s, "SELECT NULL, slug FROM orgs WHERE slug = :s").Bind("alpha").One(null_value, text));
    EXPECT_FALSE(null_value.has_value());
    EXPECT_EQ(text, "alpha");
    long long must_not_be_null = 0;
    EXPECT_THROW(Query(s, "SELECT NULL FROM orgs WHERE slug = :s").Bind("alpha").One(must_not_be_null),
                 soci::soci_error);
    auto rows = Query(s, "SELECT slug, id FROM orgs ORDER BY slug").All<std::string, long long>();
    EXPECT_EQ(rows.size(), 2u);
    if (rows.size() == 2) {
      EXPECT_EQ(std::get<0>(rows[0]), "alpha");
      EXPECT_EQ(std::get<0>(rows[1]), "beta");
    }
    EXPECT_TRUE(Query(s, "SELECT id FROM orgs WHERE slug = :s").Bind(std::optional<std::string>()).All<long long>().empty());
    // std::int64_t (long here, a type apart from long long) reads directly, beyond 32 bits.
    std::int64_t wide = 0;
    std::optional<std::int64_t> wide_null = 1, wide_set;
    EXPECT_TRUE(Query(s, "SELECT :v, NULL, :w FROM orgs WHERE slug = :s")
                    .Bind(std::int64_t{1} << 40).Bind(std::int64_t{-5}).Bind("alpha")
                    .One(wide, wide_null, wide_set));
    EXPECT_EQ(wide, std::int64_t{1} << 40);
    EXPECT_FALSE(wide_null.has_value());
    EXPECT_EQ(wide_set, std::int64_t{-5});
    return true;
  });
  ASSERT_TRUE(got) << got.error().message;
}

TEST_P(DatabaseContract, ReusedQueryOnAReaderSeesLaterCommits) {
  // A cached statement left unreset would pin the reader's snapshot; each read must see the
  // writes committed before it.
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(InsertOrg("org" + std::to_string(i)));
    for (int r = 0; r < 3; ++r) {
      auto n = db_->Read<long long>([](soci::session& s) -> Result<long long> {
        long long count = 0;
        Query(s, "SELECT COUNT(*) FROM orgs").One(count);
        return count;
      });
      ASSERT_TRUE(n);
      EXPECT_EQ(*n, i + 1);
    }
  }
}

TEST_P(DatabaseContract, QueryWritesInsideJobsAndReportsUniqueViolations) {
  auto id = db_->Write<long long>([](soci::session& s) -> Result<long long> {
    long long out = 0;
    Query(s, "INSERT INTO orgs (name, slug, pseudonym_key, created_at) VALUES (:n, :s, 'k', :t) RETURNING id")
        .Bind("Org")
        .Bind("dup")
        .Bind(1)
        .One(out);
    long long changed = Query(s, "UPDATE orgs SET name = :n WHERE id = :id").Bind("Renamed").Bind(out).Run();
    EXPECT_EQ(changed, 1);
    return out;
  });
  ASSERT_TRUE(id);
  auto again = db_->Write<long long>([](soci::session& s) -> Result<long long> {
    try {
      Query(s, "INSERT INTO orgs (name, slug, pseudonym_key, created_at) VALUES (:n, :s, 'k', :t)")
          .Bind("Org")
          .Bind("dup")
          .Bind(2)
          .Run();
    } catch (const std::exception& e) {
      EXPECT_TRUE(IsUniqueViolation(e)) << e.what();
      throw;
    }
    return 0;
  });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  // The failed job left nothing, and the statement cache still works afterwards.
  auto n = CountOrgs();
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  auto name = db_->Read<std::string>([&](soci::session& s) -> Result<std::string> {
    std::string v;
    Query(s, "SELECT name FROM orgs WHERE id = :id").Bind(*id).One(v);
    return v;
  });
  ASSERT_TRUE(name);
  EXPECT_EQ(*name, "Renamed");
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
