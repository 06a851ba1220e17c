#pragma once
// Test support: a migrated database in a temporary directory (SQLite), or on the server named
// by FACHWERK_TEST_POSTGRES with a clean schema. For unit and contract tests only.

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
      o.url = url;
    }
    auto db = Database::Open(o);
    if (!db) {
      *skip_reason = "cannot open database: " + db.error().message;
      return nullptr;
    }
    t->db_ = std::move(*db);
    if (backend != "sqlite") {
      auto r = t->db_->Write<bool>([](soci::session& s) -> Result<bool> {
        s << "DROP SCHEMA public CASCADE";
        s << "CREATE SCHEMA public";
        return true;
      });
      if (!r) {
        *skip_reason = "cannot reset schema: " + r.error().message;
        return nullptr;
      }
    }
    auto m = t->db_->Migrate();
    if (!m) {
      *skip_reason = "migration failed: " + m.error().message;
      return nullptr;
    }
    return t;
  }

  ~TestDatabase() {
    if (db_) db_->Close();
    db_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  Database& db() { return *db_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  TestDatabase() = default;
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

}  // namespace fw::db::testing
