#pragma once
// Query runs one parameterised SQL statement on a session, for the hot paths (the work loop,
// authentication). On SQLite the statement is prepared once per connection and reused
// (preparing costs more than running most of these statements); on PostgreSQL it runs as a
// one-time SOCI statement, exactly like `session << sql`.
//
//   long long id = 0; std::string payload;
//   bool found = db::Query(s, kPickSql).Bind(project).Bind(expert).One(id, payload);
//
// Parameters are written SOCI's way, `:name`, and bound in order of appearance; each name may
// occur only once. BindAt fixes one parameter by its position first (tenancy::LabScope binds
// the lab's `:org` this way, wherever the statement names it).
// Binds are copied into the Query, so temporaries are safe. A Query runs once: call One() or
// Run() one time. Errors are thrown as SOCI's exceptions (sqlite3_soci_error,
// postgresql_soci_error), so ErrorFromException and IsUniqueViolation apply unchanged.
//
// Thread safety: as the session (one thread at a time). The per-connection statement cache
// is owned by the database that opened the connection and dropped when it closes it
// (DropStatementCache).

#include <soci/soci.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

namespace sqlite_api {
struct sqlite3_stmt;  // SOCI's wrapping of SQLite's statement type
}

namespace fw::db {

class Query {
 public:
  // `sql` must outlive the Query (a literal or a string the caller keeps).
  Query(soci::session& session, std::string_view sql);

  Query& Bind(long long v);
  Query& Bind(int v) { return Bind(static_cast<long long>(v)); }
  Query& Bind(long v) { return Bind(static_cast<long long>(v)); }
  Query& Bind(double v);
  Query& Bind(std::string v);
  Query& Bind(const char* v) { return Bind(std::string(v)); }
  Query& BindNull();
  template <typename T>
  Query& Bind(const std::optional<T>& v) {
    return v ? Bind(*v) : BindNull();
  }
  // Binds the parameter at 0-based `index` (ParameterIndex) to `v`; the other binds fill the
  // remaining positions in order. Call it once, before any other bind.
  Query& BindAt(std::size_t index, long long v);

  // Runs the statement and stores the first row's columns in `out...` (long long, long
  // (std::int64_t), int, double, std::string, or std::optional of those for nullable columns; a NULL into a
  // non-optional throws). Returns false, leaving `out` untouched, when there is no row.
  template <typename... T>
  bool One(T&... out) {
    std::vector<Out> outs{MakeOut(out)...};
    return Execute(outs);
  }

  // Runs the statement and, for each row in turn, stores its columns in `out...` and calls
  // `on_row()`, which returns false to stop reading.
  template <typename F, typename... T>
  void Each(F&& on_row, T&... out) {
    std::vector<Out> outs{MakeOut(out)...};
    Execute(outs, [&] { return static_cast<bool>(on_row()); });
  }

  // Runs the statement and returns every row, each as a tuple of the given column types.
  template <typename... T>
  std::vector<std::tuple<T...>> All() {
    std::vector<std::tuple<T...>> rows;
    std::tuple<T...> row;
    std::vector<Out> outs =
        std::apply([](auto&... col) { return std::vector<Out>{MakeOut(col)...}; }, row);
    Execute(outs, [&] {
      rows.push_back(row);
      return true;
    });
    return rows;
  }

  // Runs a statement that returns no rows (or ignores them); returns the affected rows.
  long long Run();

 private:
  // kLong is `long`, which is std::int64_t here but a type apart from long long.
  enum class Kind { kInt64, kLong, kInt, kDouble, kString };
  struct Out {
    Kind kind;
    void* target;
    bool optional;
  };
  using Value = std::variant<std::monostate, long long, double, std::string>;

  static Out MakeOut(long long& v) { return {Kind::kInt64, &v, false}; }
  static Out MakeOut(long& v) { return {Kind::kLong, &v, false}; }
  static Out MakeOut(int& v) { return {Kind::kInt, &v, false}; }
  static Out MakeOut(double& v) { return {Kind::kDouble, &v, false}; }
  static Out MakeOut(std::string& v) { return {Kind::kString, &v, false}; }
  static Out MakeOut(std::optional<long long>& v) { return {Kind::kInt64, &v, true}; }
  static Out MakeOut(std::optional<long>& v) { return {Kind::kLong, &v, true}; }
  static Out MakeOut(std::optional<int>& v) { return {Kind::kInt, &v, true}; }
  static Out MakeOut(std::optional<double>& v) { return {Kind::kDouble, &v, true}; }
  static Out MakeOut(std::optional<std::string>& v) { return {Kind::kString, &v, true}; }

  // Runs the statement. Without `on_row`, reads the first row into `outs` and returns whether
  // there was one; with it, reads the rows into `outs` in turn and calls on_row after each,
  // until it returns false.
  using RowFn = std::function<bool()>;
  bool Execute(std::vector<Out>& outs, const RowFn& on_row = nullptr);
  bool ExecuteSqlite(std::vector<Out>& outs, const RowFn& on_row);
  bool ExecutePostgres(std::vector<Out>& outs, const RowFn& on_row);
  void Push(Value v);
  void ReadSqliteRow(sqlite_api::sqlite3_stmt* st, std::vector<Out>& outs);
  // Throws SOCI's error for a NULL read into a non-optional output.
  [[noreturn]] void ThrowNull(std::size_t column) const;
  // Writes `v` (nullopt: NULL, only for an optional output) where `o` points.
  template <typename T>
  static void Store(const Out& o, std::optional<T> v) {
    if (o.optional) {
      *static_cast<std::optional<T>*>(o.target) = std::move(v);
    } else {
      *static_cast<T*>(o.target) = std::move(*v);
    }
  }

  soci::session& session_;
  std::string_view sql_;  // owned by the caller (see the constructor)
  std::vector<Value> binds_;
  std::optional<std::pair<std::size_t, long long>> fixed_;  // BindAt's position and value
  long long affected_ = 0;
};

// The 0-based position of the parameter `:name` among the parameters of `sql` (in order of
// appearance, as Query binds them), or -1 when `sql` does not name it exactly once. Skips
// string literals, quoted identifiers, comments and PostgreSQL's `::` casts.
constexpr int ParameterIndex(std::string_view sql, std::string_view name) {
  auto ident = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  int position = 0, found = -1, seen = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      std::size_t end = sql.find(c, i + 1);
      if (end == std::string_view::npos) return -1;
      i = end;  // a doubled quote inside a literal reads as two literals: the same positions
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      std::size_t end = sql.find('\n', i);
      i = end == std::string_view::npos ? sql.size() : end;
    } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
      ++i;
    } else if (c == ':' && i + 1 < sql.size() && ident(sql[i + 1])) {
      std::size_t end = i + 1;
      while (end < sql.size() && ident(sql[end])) ++end;
      if (sql.substr(i + 1, end - i - 1) == name) {
        found = position;
        ++seen;
      }
      ++position;
      i = end - 1;
    }
  }
  return seen == 1 ? found : -1;
}

// Finalizes the cached statements of a session's SQLite connection; call before closing it.
// A no-op for other sessions or when nothing was cached.
void DropStatementCache(soci::session& session);

}  // namespace fw::db
