#include "tenancy/tenancy.h"

#include <gtest/gtest.h>

#include "db/testing.h"

namespace fw::tenancy {
namespace {

static_assert(db::ParameterIndex("SELECT 1 FROM t WHERE org_id = :org", "org") == 0);
static_assert(db::ParameterIndex("UPDATE t SET a = :a, b = :b WHERE id = :id AND org_id = :org",
                                 "org") == 3);
static_assert(db::ParameterIndex("SELECT ':org', x::text FROM t WHERE a = :a AND o = :org",
                                 "org") == 1);
static_assert(db::ParameterIndex("SELECT 1 FROM t WHERE org_id = :organisation", "org") == -1);
static_assert(db::ParameterIndex("SELECT 1 FROM t -- :org\nWHERE a = :a", "org") == -1);
static_assert(db::ParameterIndex("SELECT 1 FROM t WHERE a = :org OR b = :org", "org") == -1);
static_assert(db::ParameterIndex("SELECT \"a:org\" FROM t WHERE a = :b", "org") == -1);

// A stand-in codec that marks what it seals with the lab, so the test sees which lab's key a
// payload went through.
class MarkingCodec final : public security::PayloadCodec {
 public:
  std::string Seal(std::int64_t org_id, std::string_view plaintext) const override {
    return std::to_string(org_id) + "|" + std::string(plaintext);
  }
  Result<std::string> Open(std::int64_t org_id, std::string_view stored) const override {
    std::string prefix = std::to_string(org_id) + "|";
    if (stored.substr(0, prefix.size()) != prefix) return Internal("sealed for another lab");
    return std::string(stored.substr(prefix.size()));
  }
};

class TenancyTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string why;
    tdb_ = db::testing::TestDatabase::Make(GetParam(), &why);
    if (!tdb_) GTEST_SKIP() << why;
    auto made = tdb_->db().Write<bool>([&](soci::session& s) -> Result<bool> {
      for (const char* slug : {"a", "b"}) {
        db::Query(
            s, "INSERT INTO orgs (name, slug, pseudonym_key, created_at) VALUES (:n, :s, 'k', 1)")
            .Bind(slug)
            .Bind(slug)
            .Run();
      }
      return true;
    });
    ASSERT_TRUE(made);
  }

  std::unique_ptr<db::testing::TestDatabase> tdb_;
  MarkingCodec codec_;
  Tenancy tenancy_{codec_};
};

TEST_P(TenancyTest, BindsTheLabWhereverTheStatementNamesIt) {
  auto names = tdb_->db().Write<std::vector<std::string>>(
      [&](soci::session& s) -> Result<std::vector<std::string>> {
        for (std::int64_t org : {1, 2}) {
          LabScope lab = tenancy_.Scope(s, org);
          // :org last among the parameters of an insert ...
          lab.Query(
                 "INSERT INTO projects (name, description, preset, template, template_version, "
                 "domain, min_level, "
                 "redundancy, gold_rate, lease_seconds, status, created_by, created_at, "
                 "updated_at, org_id) "
                 "VALUES (:n, '', '', '{}', 1, '', 0, 1, 0, 60, 'active', NULL, 1, 1, :org)")
              .Bind("p" + std::to_string(org))
              .Run();
        }
        // ... in the middle of an update ...
        LabScope a = tenancy_.Scope(s, 1);
        long long changed =
            a.Query("UPDATE projects SET description = :d WHERE org_id = :org AND name = :n")
                .Bind("mine")
                .Bind("p2")
                .Run();
        EXPECT_EQ(changed, 0);  // p2 is lab 2's
        changed = a.Query("UPDATE projects SET description = :d WHERE org_id = :org AND name = :n")
                      .Bind("mine")
                      .Bind("p1")
                      .Run();
        EXPECT_EQ(changed, 1);
        // ... and first in a read.
        std::vector<std::string> out;
        std::string name, description;
        a.Query("SELECT name, description FROM projects WHERE org_id = :org ORDER BY id")
            .Each(
                [&] {
                  out.push_back(name + ":" + description);
                  return true;
                },
                name, description);
        return out;
      });
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(*names, (std::vector<std::string>{"p1:mine"}));
}

TEST_P(TenancyTest, EachStopsWhenTheCallbackSaysSo) {
  auto seen = tdb_->db().Read<int>([&](soci::session& s) -> Result<int> {
    int rows = 0;
    long long id = 0;
    db::Query(s, "SELECT id FROM orgs ORDER BY id").Each([&] { return ++rows < 1; }, id);
    EXPECT_EQ(id, 1);
    return rows;
  });
  ASSERT_TRUE(seen);
  EXPECT_EQ(*seen, 1);
}

TEST_P(TenancyTest, PayloadsAreSealedAndOpenedUnderTheirLab) {
  auto ok = tdb_->db().Read<bool>([&](soci::session& s) -> Result<bool> {
    std::string sealed = tenancy_.Scope(s, 1).Seal("{\"q\":1}");
    EXPECT_EQ(sealed, "1|{\"q\":1}");
    auto mine = tenancy_.Scope(s, 1).Open(sealed);
    EXPECT_TRUE(mine && *mine == "{\"q\":1}");
    EXPECT_FALSE(tenancy_.Scope(s, 2).Open(sealed));
    return true;
  });
  ASSERT_TRUE(ok);
}

TEST(LabSql, CheckedAcceptsRuntimeTextThatNamesTheLab) {
  std::string text = std::string("SELECT id FROM projects WHERE org_id = :org") + " AND id = :p";
  EXPECT_EQ(LabSql::Checked(text).org_index(), 0u);
  EXPECT_EQ(LabSql("SELECT 1 FROM t WHERE a = :a AND org_id = :org").org_index(), 1u);
}

TEST(LabSqlDeathTest, CheckedRefusesTextWithoutTheLab) {
  std::string text = "SELECT id FROM projects WHERE id = :p";
  EXPECT_DEATH(LabSql::Checked(text), "");
}

INSTANTIATE_TEST_SUITE_P(Backends, TenancyTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fw::tenancy
