#include "db/query.h"

#include <fmt/format.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "base/error.h"

namespace fw::db {

namespace {

using sqlite_api::sqlite3;
using sqlite_api::sqlite3_stmt;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// The prepared statements of one connection. Only the thread using the connection touches
// it, so it needs no lock of its own.
struct StatementCache {
  std::unordered_map<std::string, sqlite3_stmt*, StringHash, std::equal_to<>> statements;
  ~StatementCache() {
    for (auto& [sql, st] : statements) sqlite_api::sqlite3_finalize(st);
  }
};

// Connection -> cache. The lock guards the map only; a cache is used by its connection's
// current thread.
class CacheRegistry {
 public:
  StatementCache& For(sqlite3* db) {
    std::lock_guard lock(mu_);
    auto& slot = caches_[db];
    if (!slot) slot = std::make_unique<StatementCache>();
    return *slot;
  }
  void Drop(sqlite3* db) {
    std::unique_ptr<StatementCache> dropped;
    {
      std::lock_guard lock(mu_);
      auto it = caches_.find(db);
      if (it == caches_.end()) return;
      dropped = std::move(it->second);
      caches_.erase(it);
    }
  }

 private:
  std::mutex mu_;
  std::unordered_map<sqlite3*, std::unique_ptr<StatementCache>> caches_;
};

CacheRegistry& Registry() {
  static CacheRegistry* registry = new CacheRegistry();  // never destroyed: used until exit
  return *registry;
}

sqlite3* SqliteHandle(soci::session& s) {
  if (s.get_backend_name() != "sqlite3") return nullptr;
  return static_cast<soci::sqlite3_session_backend*>(s.get_backend())->conn_;
}

[[noreturn]] void ThrowSqlite(sqlite3* db, int rc, std::string_view sql) {
  throw soci::sqlite3_soci_error(
      fmt::format("{} while executing \"{}\"", sqlite_api::sqlite3_errmsg(db), sql), rc);
}

// SQLITE_TRANSIENT: SQLite copies the bound value.
const auto kTransient =
    reinterpret_cast<sqlite_api::sqlite3_destructor_type>(static_cast<std::intptr_t>(-1));

// Resets the statement when the call ends, so a cached statement never holds a read
// snapshot or keeps a savepoint from being released.
struct ResetOnExit {
  sqlite3_stmt* st;
  ~ResetOnExit() {
    sqlite_api::sqlite3_reset(st);
    sqlite_api::sqlite3_clear_bindings(st);
  }
};

}  // namespace

Query::Query(soci::session& session, std::string_view sql) : session_(session), sql_(sql) {}

void Query::Push(Value v) {
  binds_.push_back(std::move(v));
  if (fixed_ && binds_.size() == fixed_->first) binds_.emplace_back(fixed_->second);
}

Query& Query::BindAt(std::size_t index, long long v) {
  FW_CHECK(binds_.empty() && !fixed_);
  fixed_.emplace(index, v);
  if (index == 0) binds_.emplace_back(v);
  return *this;
}

Query& Query::Bind(long long v) {
  Push(v);
  return *this;
}
Query& Query::Bind(double v) {
  Push(v);
  return *this;
}
Query& Query::Bind(std::string v) {
  Push(std::move(v));
  return *this;
}
Query& Query::BindNull() {
  Push(std::monostate{});
  return *this;
}

long long Query::Run() {
  std::vector<Out> none;
  Execute(none);
  return affected_;
}

bool Query::Execute(std::vector<Out>& outs, const RowFn& on_row) {
  return SqliteHandle(session_) ? ExecuteSqlite(outs, on_row) : ExecutePostgres(outs, on_row);
}

bool Query::ExecuteSqlite(std::vector<Out>& outs, const RowFn& on_row) {
  sqlite3* db = SqliteHandle(session_);
  StatementCache& cache = Registry().For(db);
  sqlite3_stmt* st = nullptr;
  if (auto it = cache.statements.find(sql_); it != cache.statements.end()) {
    st = it->second;
  } else {
    int rc = sqlite_api::sqlite3_prepare_v3(db, sql_.data(), static_cast<int>(sql_.size()),
                                            SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    if (rc != SQLITE_OK) ThrowSqlite(db, rc, sql_);
    cache.statements.emplace(std::string(sql_), st);
  }
  // A `:name` used twice is one SQLite parameter but two SOCI binds; refuse it here.
  FW_CHECK(sqlite_api::sqlite3_bind_parameter_count(st) == static_cast<int>(binds_.size()));
  ResetOnExit reset{st};
  for (std::size_t i = 0; i < binds_.size(); ++i) {
    int pos = static_cast<int>(i) + 1;
    int rc = std::visit(
        [&](const auto& v) -> int {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::monostate>) {
            return sqlite_api::sqlite3_bind_null(st, pos);
          } else if constexpr (std::is_same_v<V, long long>) {
            return sqlite_api::sqlite3_bind_int64(st, pos, v);
          } else if constexpr (std::is_same_v<V, double>) {
            return sqlite_api::sqlite3_bind_double(st, pos, v);
          } else {
            return sqlite_api::sqlite3_bind_text(st, pos, v.data(), static_cast<int>(v.size()),
                                                 kTransient);
          }
        },
        binds_[i]);
    if (rc != SQLITE_OK) ThrowSqlite(db, rc, sql_);
  }
  int rc = sqlite_api::sqlite3_step(st);
  if (rc == SQLITE_DONE) {
    affected_ = sqlite_api::sqlite3_changes(db);
    return false;
  }
  if (rc != SQLITE_ROW) ThrowSqlite(db, rc, sql_);
  affected_ = sqlite_api::sqlite3_changes(db);
  FW_CHECK(sqlite_api::sqlite3_column_count(st) >= static_cast<int>(outs.size()));
  for (;;) {
    ReadSqliteRow(st, outs);
    if (!on_row || !on_row()) return true;
    rc = sqlite_api::sqlite3_step(st);
    if (rc == SQLITE_DONE) return true;
    if (rc != SQLITE_ROW) ThrowSqlite(db, rc, sql_);
  }
}

void Query::ThrowNull(std::size_t column) const {
  throw soci::soci_error(fmt::format(
      "Null value fetched and no indicator defined (column {} of \"{}\")", column, sql_));
}

void Query::ReadSqliteRow(sqlite3_stmt* st, std::vector<Out>& outs) {
  for (std::size_t i = 0; i < outs.size(); ++i) {
    const Out& o = outs[i];
    const int col = static_cast<int>(i);
    const bool null = sqlite_api::sqlite3_column_type(st, col) == SQLITE_NULL;
    if (null && !o.optional) ThrowNull(i);
    switch (o.kind) {
      case Kind::kInt64:
        Store<long long>(
            o, null ? std::nullopt
                    : std::optional<long long>(sqlite_api::sqlite3_column_int64(st, col)));
        break;
      case Kind::kLong:
        Store<long>(o, null ? std::nullopt
                            : std::optional<long>(sqlite_api::sqlite3_column_int64(st, col)));
        break;
      case Kind::kInt:
        Store<int>(
            o, null ? std::nullopt : std::optional<int>(sqlite_api::sqlite3_column_int(st, col)));
        break;
      case Kind::kDouble:
        Store<double>(o, null ? std::nullopt
                              : std::optional<double>(sqlite_api::sqlite3_column_double(st, col)));
        break;
      case Kind::kString: {
        std::optional<std::string> v;
        if (!null) {
          const void* data = sqlite_api::sqlite3_column_blob(st, col);
          int size = sqlite_api::sqlite3_column_bytes(st, col);
          v.emplace(static_cast<const char*>(data), static_cast<std::size_t>(size));
        }
        Store<std::string>(o, std::move(v));
        break;
      }
    }
  }
}

bool Query::ExecutePostgres(std::vector<Out>& outs, const RowFn& on_row) {
  // The same steps as SOCI's `session << sql` (a one-time statement), with the binds and
  // outputs attached one by one.
  soci::statement st(session_);
  std::vector<soci::indicator> use_ind(binds_.size(), soci::i_ok);
  long long null_value = 0;
  for (std::size_t i = 0; i < binds_.size(); ++i) {
    Value& v = binds_[i];
    if (std::holds_alternative<std::monostate>(v)) {
      use_ind[i] = soci::i_null;
      st.exchange(soci::use(null_value, use_ind[i]));
    } else if (auto* n = std::get_if<long long>(&v)) {
      st.exchange(soci::use(*n, use_ind[i]));
    } else if (auto* d = std::get_if<double>(&v)) {
      st.exchange(soci::use(*d, use_ind[i]));
    } else {
      st.exchange(soci::use(std::get<std::string>(v), use_ind[i]));
    }
  }
  std::vector<soci::indicator> into_ind(outs.size(), soci::i_ok);
  std::vector<long long> ints(outs.size());
  std::vector<double> doubles(outs.size());
  std::vector<std::string> strings(outs.size());
  for (std::size_t i = 0; i < outs.size(); ++i) {
    switch (outs[i].kind) {
      case Kind::kInt64:
      case Kind::kLong:
      case Kind::kInt:
        st.exchange(soci::into(ints[i], into_ind[i]));
        break;
      case Kind::kDouble:
        st.exchange(soci::into(doubles[i], into_ind[i]));
        break;
      case Kind::kString:
        st.exchange(soci::into(strings[i], into_ind[i]));
        break;
    }
  }
  st.alloc();
  st.prepare(std::string(sql_), soci::details::st_one_time_query);
  st.define_and_bind();
  bool got = st.execute(true);
  affected_ = st.get_affected_rows();
  if (!got || outs.empty()) return got;
  auto copy_out = [&] {
    for (std::size_t i = 0; i < outs.size(); ++i) {
      const Out& o = outs[i];
      const bool null = into_ind[i] == soci::i_null;
      if (null && !o.optional) ThrowNull(i);
      switch (o.kind) {
        case Kind::kInt64:
          Store<long long>(o, null ? std::nullopt : std::optional<long long>(ints[i]));
          break;
        case Kind::kLong:
          Store<long>(o, null ? std::nullopt : std::optional<long>(ints[i]));
          break;
        case Kind::kInt:
          Store<int>(o, null ? std::nullopt : std::optional<int>(static_cast<int>(ints[i])));
          break;
        case Kind::kDouble:
          Store<double>(o, null ? std::nullopt : std::optional<double>(doubles[i]));
          break;
        case Kind::kString:
          Store<std::string>(
              o, null ? std::nullopt : std::optional<std::string>(std::move(strings[i])));
          break;
      }
    }
  };
  copy_out();
  if (!on_row || !on_row()) return true;
  while (st.fetch()) {
    copy_out();
    if (!on_row()) break;
  }
  return true;
}

void DropStatementCache(soci::session& session) {
  if (sqlite3* db = SqliteHandle(session)) Registry().Drop(db);
}

}  // namespace fw::db
