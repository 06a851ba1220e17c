#include "experts/domains.h"

#include <fmt/format.h>

#include <optional>

#include "db/query.h"

namespace fw::experts {

namespace {

constexpr std::size_t kMaxTitleBytes = 200;

Status CheckTitle(std::string_view title) {
  if (title.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return InvalidArgument("a domain needs a title", {{"title", "required", "e.g. \"Computer science\""}});
  }
  if (title.size() > kMaxTitleBytes) {
    return InvalidArgument("the title is too long", {{"title", "too_long", "at most 200 bytes"}});
  }
  return {};
}

}  // namespace

bool IsDomainName(std::string_view name) {
  if (name.size() < 2 || name.size() > 48) return false;
  if (name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool DomainExists(soci::session& s, std::string_view name) {
  // A malformed name cannot be stored, so it needs no query.
  if (!IsDomainName(name)) return false;
  std::string n(name);
  int one = 0;
  return db::Query(s, "SELECT 1 FROM domains WHERE name = :n").Bind(n).One(one);
}

DomainService::DomainService(db::Database& db) : db_(db) {}

Result<std::vector<Domain>> DomainService::List() {
  return db_.Read<std::vector<Domain>>([](soci::session& s) -> Result<std::vector<Domain>> {
    std::vector<Domain> out;
    for (auto& [name, title, parent] :
         db::Query(s, "SELECT name, title, parent FROM domains ORDER BY id")
             .All<std::string, std::string, std::optional<std::string>>()) {
      out.push_back(Domain{std::move(name), std::move(title), parent.value_or("")});
    }
    return out;
  });
}

Result<bool> DomainService::Exists(std::string_view name) {
  return db_.Read<bool>([&](soci::session& s) -> Result<bool> { return DomainExists(s, name); });
}

Result<Domain> DomainService::Add(std::string_view name, std::string_view title,
                                  std::string_view parent) {
  if (!IsDomainName(name)) {
    return InvalidArgument(
        "a domain name is a lowercase identifier such as computer_science",
        {{"name", "invalid", "a lowercase letter, then 1 to 47 of a-z, 0-9 and _"}});
  }
  FW_TRY_STATUS(CheckTitle(title));
  Domain d{std::string(name), std::string(title), std::string(parent)};
  return db_.Write<Domain>([&](soci::session& s) -> Result<Domain> {
    if (!d.parent.empty()) {
      std::optional<std::string> grandparent;
      if (!IsDomainName(d.parent) ||
          !db::Query(s, "SELECT parent FROM domains WHERE name = :n").Bind(d.parent).One(grandparent)) {
        return InvalidArgument(fmt::format("'{}' is not a known domain", d.parent),
                               {{"parent", "unknown", "see GET /api/v1/domains"}});
      }
      if (grandparent) {
        return InvalidArgument(fmt::format("{} is itself a sub-field of {}", d.parent, *grandparent),
                               {{"parent", "nested", "a sub-field's parent is a domain"}});
      }
    }
    std::optional<std::string> parent_col;
    if (!d.parent.empty()) parent_col = d.parent;
    // DO NOTHING rather than a unique violation: on PostgreSQL that would abort the
    // transaction before the conflict could be answered.
    long long added = db::Query(s,
                                "INSERT INTO domains (name, title, parent) VALUES (:n, :t, :p) "
                                "ON CONFLICT (name) DO NOTHING")
                          .Bind(d.name)
                          .Bind(d.title)
                          .Bind(parent_col)
                          .Run();
    if (added != 1) {
      return Fail(ErrorCode::kConflict, fmt::format("the domain {} exists", d.name),
                  {{"name", "taken", "PATCH /api/v1/domains/{domain} changes its title"}},
                  "domain_exists");
    }
    return d;
  });
}

Result<Domain> DomainService::SetTitle(std::string_view name, std::string_view title) {
  FW_TRY_STATUS(CheckTitle(title));
  Domain d{std::string(name), std::string(title), ""};
  return db_.Write<Domain>([&](soci::session& s) -> Result<Domain> {
    std::optional<std::string> parent;
    db::Query(s, "SELECT parent FROM domains WHERE name = :n").Bind(d.name).One(parent);
    d.parent = parent.value_or("");
    long long changed =
        db::Query(s, "UPDATE domains SET title = :t WHERE name = :n").Bind(d.title).Bind(d.name).Run();
    if (changed != 1) return NotFound(fmt::format("no domain named {}", d.name));
    return d;
  });
}

}  // namespace fw::experts
