#pragma once
// Test support: a migrated database in a temporary directory (SQLite), or on the server named
// by FACHWERK_TEST_POSTGRES in a schema of its own, dropped afterwards. For unit and contract tests only.

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "db/database.h"

namespace fw::db::testing {

class TestDatabase {
 public:
  // `backend` is "sqlite" or "postgresql". Returns nullptr with `skip_reason` set when the
  // PostgreSQL server is not configured.
  static std::unique_ptr<TestDatabase> Make(const std::string& backend, std::string* skip_reason) {
    static std::atomic<int> counter{0};
    auto t = std::unique_ptr<TestDatabase>(new TestDatabase);
    DatabaseOptions o;
    if (backend == "sqlite") {
      t->dir_ = std::filesystem::temp_directory_path() /
                ("fw_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
      std::filesystem::create_directories(t->dir_);
      o.url = (t->dir_ / "test.db").string();
    } else {
      const char* url = std::getenv("FACHWERK_TEST_POSTGRES");
      if (!url || !*url) {
        *skip_reason = "FACHWERK_TEST_POSTGRES not set: PostgreSQL run skipped";
        return nullptr;
      }
      // A schema of its own per test, so test binaries can run in parallel on one server.
      t->schema_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
      DatabaseOptions admin_options;
      admin_options.url = url;
      admin_options.read_pool_size = 1;
      auto admin = Database::Open(admin_options);
      if (!admin) {
        *skip_reason = "cannot open database: " + admin.error().message;
        return nullptr;
      }
      auto created = (*admin)->Write<bool>([&](soci::session& s) -> Result<bool> {
        s << "DROP SCHEMA IF EXISTS " + t->schema_ + " CASCADE";
        s << "CREATE SCHEMA " + t->schema_;
        return true;
      });
      (*admin)->Close();
      if (!created) {
        *skip_reason = "cannot create schema: " + created.error().message;
        return nullptr;
      }
      std::string base = url;
      o.url = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + t->schema_;
    }
    auto db = Database::Open(o);
    if (!db) {
      *skip_reason = "cannot open database: " + db.error().message;
      return nullptr;
    }
    t->db_ = std::move(*db);
    auto m = t->db_->Migrate();
    if (!m) {
      *skip_reason = "migration failed: " + m.error().message;
      return nullptr;
    }
    return t;
  }

  ~TestDatabase() {
    if (db_ && !schema_.empty()) {
      (void)db_->Write<bool>([&](soci::session& s) -> Result<bool> {
        s << "DROP SCHEMA " + schema_ + " CASCADE";
        return true;
      });
    }
    if (db_) db_->Close();
    db_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  Database& db() { return *db_; }
  const std::filesystem::path& dir() const { return dir_; }

  // How many rows `table` holds; -1 when it cannot be read.
  long long Rows(const std::string& table) {
    auto n = db_->Read<long long>([&](soci::session& s) -> Result<long long> {
      long long c = 0;
      s << "SELECT COUNT(*) FROM " + table, soci::into(c);
      return c;
    });
    return n.value_or(-1);
  }

 private:
  TestDatabase() = default;
  std::filesystem::path dir_;
  std::string schema_;  // PostgreSQL only
  std::unique_ptr<Database> db_;
};

}  // namespace fw::db::testing
