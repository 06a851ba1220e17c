#pragma once
// Database access: one API over SQLite (embedded default) and PostgreSQL, through SOCI.
//
// Reads borrow a session from a pool. Writes run as jobs inside a transaction and are
// committed (durably: SQLite runs WAL with synchronous=FULL) before Write() returns. On
// SQLite all writes go through one writer thread that commits a whole group of queued jobs
// in one transaction, each job inside its own savepoint, the way leveldb's write path
// does; on PostgreSQL each job is its own transaction on a pooled session. Correctness never
// depends on the grouping: a job sees the effects of the jobs committed or grouped before it.
//
// Thread safety: any thread. Ownership: the Database owns its sessions and writer thread;
// the session handed to a job or reader is borrowed for the call only.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <soci/soci.h>

#include "base/error.h"

namespace fw::db {

enum class Dialect { kSqlite, kPostgres };

struct DatabaseOptions {
  // A file path or "sqlite:<path>" for SQLite, "postgresql://..." for PostgreSQL.
  std::string url;
  int read_pool_size = 8;
  // Most write jobs committed in one SQLite transaction.
  int max_group_size = 512;
  // Size of SQLite's page cache per connection, in KiB.
  int cache_kib = 64 * 1024;
};

// Statistics of the group-commit writer, for /metrics.
struct WriteStats {
  long long jobs = 0;
  long long commits = 0;
  long long failed_jobs = 0;
};

class Database {
 public:
  virtual ~Database() = default;

  // Opens the database and its pools (SQLite: creates the file). Errors: kUnavailable when
  // the server cannot be reached or the file cannot be opened; kInvalidArgument for a URL of
  // an unknown scheme.
  [[nodiscard]] static Result<std::unique_ptr<Database>> Open(const DatabaseOptions& options);

  virtual Dialect dialect() const = 0;

  // Runs `fn` with a read-only session outside any transaction: each statement sees its own
  // committed snapshot (the cheapest read; enough for a single statement or for statements
  // that need not agree). Errors: whatever `fn` returns; kUnavailable or kInternal when SOCI
  // throws (the exception's message is logged, not returned).
  template <typename T>
  [[nodiscard]] Result<T> Read(const std::function<Result<T>(soci::session&)>& fn) {
    return ReadWith<T>(fn, false);
  }

  // As Read, but every statement of `fn` sees one snapshot (a read transaction).
  template <typename T>
  [[nodiscard]] Result<T> ReadSnapshot(const std::function<Result<T>(soci::session&)>& fn) {
    return ReadWith<T>(fn, true);
  }

 private:
  template <typename T>
  Result<T> ReadWith(const std::function<Result<T>(soci::session&)>& fn, bool snapshot) {
    std::optional<Result<T>> out;
    Status st = ReadImpl([&](soci::session& s) -> Status {
      out.emplace(fn(s));
      if (!*out) return tl::unexpected<Error>(out->error());
      return {};
    }, snapshot);
    if (!st) return tl::unexpected<Error>(std::move(st).error());
    return std::move(*out);
  }

 public:
  // Runs `fn` in a write transaction and returns once it is durably committed. When `fn`
  // fails (returns an error or throws), none of its writes are kept and its error is
  // returned. Errors: whatever `fn` returns; kUnavailable when the commit fails (nothing of
  // the job is stored; the caller may retry).
  template <typename T>
  [[nodiscard]] Result<T> Write(const std::function<Result<T>(soci::session&)>& fn) {
    std::optional<Result<T>> out;
    Status st = WriteImpl([&](soci::session& s) -> Status {
      out.emplace(fn(s));
      if (!*out) return tl::unexpected<Error>(out->error());
      return {};
    });
    if (!st) return tl::unexpected<Error>(std::move(st).error());
    return std::move(*out);
  }

  // Applies every migration not yet applied, in version order, each in one transaction.
  // Returns the number applied. Errors: kInternal naming the failing migration.
  [[nodiscard]] virtual Result<int> Migrate() = 0;

  // Versions of the applied migrations.
  [[nodiscard]] virtual Result<std::vector<int>> AppliedMigrations() = 0;

  virtual WriteStats write_stats() const = 0;

  // Stops the writer after the jobs already queued; later writes fail with kUnavailable.
  virtual void Close() = 0;

 protected:
  virtual Status ReadImpl(const std::function<Status(soci::session&)>& fn, bool snapshot) = 0;
  virtual Status WriteImpl(const std::function<Status(soci::session&)>& fn) = 0;
};

// Turns a SOCI or other exception thrown by database code into an Error (kUnavailable for
// a busy or lost connection, kConflict for a constraint violation, kInternal otherwise) and
// logs the message.
Error ErrorFromException(const std::exception& e);

// True when `e` reports a unique-constraint violation (both databases).
bool IsUniqueViolation(const std::exception& e);

}  // namespace fw::db
