#include "db/database.h"

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "db/query.h"
#include <spdlog/spdlog.h>

#include "db/migrations.h"

namespace fw::db {

Error ErrorFromException(const std::exception& e) {
  if (auto* s = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    int rc = s->result() & 0xff;
    if (rc == 5 /*BUSY*/ || rc == 6 /*LOCKED*/ || rc == 13 /*FULL*/ || rc == 10 /*IOERR*/) {
      spdlog::warn("database unavailable: {}", e.what());
      return Error(ErrorCode::kUnavailable, "the database is busy; retry");
    }
    if (rc == 19 /*CONSTRAINT*/) {
      return Error(ErrorCode::kConflict, "the change conflicts with stored data");
    }
  }
  if (auto* p = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    std::string state = p->sqlstate();
    if (state.rfind("23", 0) == 0) return Error(ErrorCode::kConflict, "the change conflicts with stored data");
    if (state.rfind("08", 0) == 0 || state == "40001" || state == "40P01" || state.rfind("57", 0) == 0 ||
        state.rfind("53", 0) == 0) {
      spdlog::warn("database unavailable: {}", e.what());
      return Error(ErrorCode::kUnavailable, "the database is busy; retry");
    }
  }
  spdlog::error("database error: {}", e.what());
  return Error(ErrorCode::kInternal, "internal database error");
}

bool IsUniqueViolation(const std::exception& e) {
  if (auto* s = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    return (s->result() & 0xff) == 19 && std::string_view(e.what()).find("UNIQUE") != std::string_view::npos;
  }
  if (auto* p = dynamic_cast<const soci::postgresql_soci_error*>(&e)) return p->sqlstate() == "23505";
  return false;
}

namespace {

// SOCI's PostgreSQL backend takes libpq's keyword=value form; turn a URL into it.
Result<std::string> ToConninfo(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    std::string msg = err ? err : "unparsable";
    if (err) PQfreemem(err);
    return InvalidArgument(fmt::format("bad PostgreSQL URL: {}", msg), {{"database", "invalid", msg}});
  }
  std::string out;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    std::string v = o->val;
    std::string quoted;
    for (char c : v) {
      if (c == '\\' || c == '\'') quoted += '\\';
      quoted += c;
    }
    out += fmt::format("{}='{}' ", o->keyword, quoted);
  }
  PQconninfoFree(opts);
  return out;
}

Status Guard(const std::function<Status(soci::session&)>& fn, soci::session& s) {
  try {
    return fn(s);
  } catch (const std::exception& e) {
    return tl::unexpected<Error>(ErrorFromException(e));
  }
}

// Shared by both backends: migrations run through Write so they follow the same path.
class DatabaseBase : public Database {
 public:
  Result<int> Migrate() override {
    FW_TRY_STATUS(Write<bool>([&](soci::session& s) -> Result<bool> {
      s << "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
           "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
      return true;
    }));
    FW_TRY(auto applied, AppliedMigrations());
    int count = 0;
    for (const Migration& m : Migrations()) {
      if (std::find(applied.begin(), applied.end(), m.version) != applied.end()) continue;
      auto r = Write<bool>([&](soci::session& s) -> Result<bool> {
        for (const std::string& stmt : RenderMigration(m.sql, dialect())) s << stmt;
        long long now = static_cast<long long>(std::time(nullptr));
        std::string name(m.name);
        s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
            soci::use(m.version), soci::use(name), soci::use(now);
        return true;
      });
      if (!r) {
        return Internal(fmt::format("migration {} failed: {}", m.name, r.error().message));
      }
      spdlog::info("applied migration {}", m.name);
      ++count;
    }
    return count;
  }

  Result<std::vector<int>> AppliedMigrations() override {
    return Read<std::vector<int>>([](soci::session& s) -> Result<std::vector<int>> {
      std::vector<int> out;
      int v = 0;
      soci::statement st = (s.prepare << "SELECT version FROM schema_migrations ORDER BY version", soci::into(v));
      st.execute();
      while (st.fetch()) out.push_back(v);
      return out;
    });
  }
};

// ---------------------------------------------------------------------------------------
// SQLite: a pool of read connections and one writer thread that commits groups of jobs.

class SqliteDatabase final : public DatabaseBase {
 public:
  SqliteDatabase(const DatabaseOptions& options, std::string path)
      : options_(options), path_(std::move(path)), readers_(static_cast<std::size_t>(options.read_pool_size)) {}

  ~SqliteDatabase() override {
    Close();
    DropStatementCache(writer_session_);
    for (std::size_t i = 0; i < static_cast<std::size_t>(options_.read_pool_size); ++i) {
      DropStatementCache(readers_.at(i));
    }
  }

  Status Start() {
    try {
      std::string conn = fmt::format("db={} timeout=30", path_);
      writer_session_.open(soci::sqlite3, conn);
      writer_session_ << "PRAGMA journal_mode=WAL";
      writer_session_ << "PRAGMA synchronous=FULL";
      ConfigureConnection(writer_session_);
      savepoint_ = std::make_unique<soci::statement>((writer_session_.prepare << "SAVEPOINT job"));
      rollback_to_ = std::make_unique<soci::statement>((writer_session_.prepare << "ROLLBACK TO job"));
      release_ = std::make_unique<soci::statement>((writer_session_.prepare << "RELEASE job"));
      for (std::size_t i = 0; i < static_cast<std::size_t>(options_.read_pool_size); ++i) {
        soci::session& s = readers_.at(i);
        s.open(soci::sqlite3, conn);
        ConfigureConnection(s);
        s << "PRAGMA query_only=1";
      }
    } catch (const std::exception& e) {
      return Fail(ErrorCode::kUnavailable, fmt::format("cannot open SQLite database {}: {}", path_, e.what()));
    }
    writer_ = std::thread([this] { WriterLoop(); });
    return {};
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  WriteStats write_stats() const override {
    std::lock_guard lock(mu_);
    return stats_;
  }

  void Close() override {
    {
      std::lock_guard lock(mu_);
      if (closing_) return;
      closing_ = true;
    }
    work_cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    savepoint_.reset();
    rollback_to_.reset();
    release_.reset();
  }

 protected:
  Status ReadImpl(const std::function<Status(soci::session&)>& fn, bool snapshot) override {
    soci::session s(readers_);
    if (!snapshot) return Guard(fn, s);
    try {
      s << "BEGIN";
    } catch (const std::exception& e) {
      return tl::unexpected<Error>(ErrorFromException(e));
    }
    Status st = Guard(fn, s);
    try {
      s << "COMMIT";
    } catch (const std::exception& e) {
      try { s << "ROLLBACK"; } catch (...) {}
    }
    return st;
  }

  Status WriteImpl(const std::function<Status(soci::session&)>& fn) override {
    Job job{&fn, {}, false};
    std::unique_lock lock(mu_);
    if (closing_) return Fail(ErrorCode::kUnavailable, "the server is shutting down");
    queue_.push_back(&job);
    work_cv_.notify_one();
    done_cv_.wait(lock, [&] { return job.done; });
    return std::move(job.result);
  }

 private:
  struct Job {
    const std::function<Status(soci::session&)>* fn;
    Status result;
    bool done = false;
  };

  void ConfigureConnection(soci::session& s) {
    s << "PRAGMA busy_timeout=30000";
    s << "PRAGMA foreign_keys=ON";
    s << fmt::format("PRAGMA cache_size=-{}", options_.cache_kib);
    s << "PRAGMA temp_store=MEMORY";
    s << "PRAGMA mmap_size=1073741824";
  }

  void WriterLoop() {
    std::vector<Job*> batch;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        work_cv_.wait(lock, [&] { return closing_ || !queue_.empty(); });
        if (queue_.empty()) return;  // closing and drained
        while (!queue_.empty() && batch.size() < static_cast<std::size_t>(options_.max_group_size)) {
          batch.push_back(queue_.front());
          queue_.pop_front();
        }
      }
      RunBatch(batch);
      {
        std::lock_guard lock(mu_);
        stats_.jobs += static_cast<long long>(batch.size());
        stats_.commits += 1;
        for (Job* j : batch) {
          if (!j->result) ++stats_.failed_jobs;
          j->done = true;
        }
      }
      done_cv_.notify_all();
      batch.clear();
    }
  }

  void RunBatch(std::vector<Job*>& batch) {
    soci::session& s = writer_session_;
    try {
      s << "BEGIN IMMEDIATE";
    } catch (const std::exception& e) {
      Error err = ErrorFromException(e);
      for (Job* j : batch) j->result = tl::unexpected<Error>(err);
      return;
    }
    bool broken = false;
    for (Job* j : batch) {
      if (broken) {
        j->result = Fail(ErrorCode::kUnavailable, "the database is busy; retry");
        continue;
      }
      try {
        savepoint_->execute(true);
        j->result = Guard(*j->fn, s);
        if (!j->result) rollback_to_->execute(true);
        release_->execute(true);
      } catch (const std::exception& e) {
        // The savepoint itself failed: the transaction is in an unknown state.
        spdlog::error("group commit: savepoint failed: {}", e.what());
        j->result = tl::unexpected<Error>(ErrorFromException(e));
        broken = true;
      }
    }
    if (!broken) {
      try {
        s << "COMMIT";
        return;
      } catch (const std::exception& e) {
        spdlog::error("group commit: commit failed: {}", e.what());
      }
    }
    try { s << "ROLLBACK"; } catch (...) {}
    for (Job* j : batch) {
      if (j->result) j->result = Fail(ErrorCode::kUnavailable, "the write could not be committed; retry");
    }
  }

  DatabaseOptions options_;
  std::string path_;
  soci::connection_pool readers_;
  soci::session writer_session_;  // used only by the writer thread
  // The writer's per-job savepoint statements, prepared once.
  std::unique_ptr<soci::statement> savepoint_, rollback_to_, release_;
  std::thread writer_;

  mutable std::mutex mu_;  // guards queue_, closing_, stats_ and Job::done/result handoff
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<Job*> queue_;
  bool closing_ = false;
  WriteStats stats_;
};

// ---------------------------------------------------------------------------------------
// PostgreSQL: one pool; each write job is its own transaction.

class PostgresDatabase final : public DatabaseBase {
 public:
  PostgresDatabase(const DatabaseOptions& options)
      : options_(options), pool_(static_cast<std::size_t>(options.read_pool_size)) {}

  Status Start() {
    try {
      for (std::size_t i = 0; i < static_cast<std::size_t>(options_.read_pool_size); ++i) {
        pool_.at(i).open(soci::postgresql, options_.url);
        pool_.at(i) << "SET client_min_messages TO WARNING";
      }
    } catch (const std::exception& e) {
      return Fail(ErrorCode::kUnavailable, fmt::format("cannot connect to PostgreSQL: {}", e.what()));
    }
    return {};
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  WriteStats write_stats() const override {
    std::lock_guard lock(mu_);
    return stats_;
  }

  void Close() override {
    std::lock_guard lock(mu_);
    closed_ = true;
  }

 protected:
  Status ReadImpl(const std::function<Status(soci::session&)>& fn, bool snapshot) override {
    soci::session s(pool_);
    if (!snapshot) return Guard(fn, s);
    try {
      s << "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY";
    } catch (const std::exception& e) {
      return tl::unexpected<Error>(ErrorFromException(e));
    }
    Status st = Guard(fn, s);
    try { s << "COMMIT"; } catch (...) { try { s << "ROLLBACK"; } catch (...) {} }
    return st;
  }

  Status WriteImpl(const std::function<Status(soci::session&)>& fn) override {
    {
      std::lock_guard lock(mu_);
      if (closed_) return Fail(ErrorCode::kUnavailable, "the server is shutting down");
    }
    soci::session s(pool_);
    Status st;
    try {
      s << "BEGIN";
      st = Guard(fn, s);
      if (st) s << "COMMIT";
      else s << "ROLLBACK";
    } catch (const std::exception& e) {
      try { s << "ROLLBACK"; } catch (...) {}
      st = tl::unexpected<Error>(ErrorFromException(e));
    }
    std::lock_guard lock(mu_);
    ++stats_.jobs;
    ++stats_.commits;
    if (!st) ++stats_.failed_jobs;
    return st;
  }

 private:
  DatabaseOptions options_;
  soci::connection_pool pool_;
  mutable std::mutex mu_;
  WriteStats stats_;
  bool closed_ = false;
};

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const DatabaseOptions& options) {
  const std::string& url = options.url;
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    DatabaseOptions pg = options;
    FW_TRY(pg.url, ToConninfo(url));
    auto db = std::make_unique<PostgresDatabase>(pg);
    FW_TRY_STATUS(db->Start());
    return std::unique_ptr<Database>(std::move(db));
  }
  std::string path = url;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  if (path.empty() || path.find("://") != std::string::npos) {
    return InvalidArgument(fmt::format("unsupported database URL '{}'", url),
                           {{"database", "invalid", "expected a SQLite path or postgresql://"}});
  }
  static std::once_flag sqlite_config;
  std::call_once(sqlite_config, [] {
    // SQLite's memory statistics take one global mutex on every allocation, shared by all
    // connections; nothing here reads them.
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto db = std::make_unique<SqliteDatabase>(options, path);
  FW_TRY_STATUS(db->Start());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace fw::db
