#include "experts/profiles.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>

#include "base/json.h"
#include "db/query.h"
#include "experts/domains.h"
#include "experts/experts.h"

namespace fw::experts {

namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }

constexpr std::array<std::string_view, 11> kAreas = {"Africa", "America",  "Antarctica", "Arctic",
                                                     "Asia",   "Atlantic", "Australia",  "Europe",
                                                     "Indian", "Pacific",  "Etc"};

FieldError Field(std::string field, std::string code, std::string message) {
  return {std::move(field), std::move(code), std::move(message)};
}

}  // namespace

bool IsTimeZone(std::string_view name, std::string_view zoneinfo_dir) {
  if (name == "UTC") return true;
  if (name.empty() || name.size() > 64) return false;
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = name.find('/', start);
    std::string_view part =
        name.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (part.empty() || !IsAlpha(part[0])) return false;
    for (char c : part) {
      if (!IsAlnum(c) && c != '_' && c != '-' && c != '+') return false;
    }
    parts.push_back(part);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.size() < 2 || parts.size() > 3) return false;
  if (std::find(kAreas.begin(), kAreas.end(), parts[0]) == kAreas.end()) return false;
  std::error_code ec;
  std::filesystem::path dir{std::string(zoneinfo_dir)};
  if (!std::filesystem::is_directory(dir, ec)) return true;
  std::filesystem::path file = dir / std::string(name);
  if (!std::filesystem::is_regular_file(file, ec)) return false;
  std::ifstream in(file, std::ios::binary);
  char magic[4] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == 4 && std::string_view(magic, 4) == "TZif";
}

bool IsAffiliationKind(std::string_view kind) { return kind == "employer" || kind == "client"; }

ProfileService::ProfileService(db::Database& db, const Clock& clock, std::string zoneinfo_dir)
    : db_(db), clock_(clock), zoneinfo_dir_(std::move(zoneinfo_dir)) {}

namespace {

Result<Profile> ReadProfile(soci::session& s, long long uid) {
  Profile p;
  p.user_id = uid;
  std::string languages;
  std::optional<int> cap;
  long long updated = 0;
  if (db::Query(s,
                "SELECT headline, languages, time_zone, weekly_hours_cap, updated_at FROM "
                "expert_profiles WHERE user_id = :u")
          .Bind(uid)
          .One(p.headline, languages, p.time_zone, cap, updated)) {
    p.weekly_hours_cap = cap;
    p.updated_at = updated;
    auto parsed = ParseJson(languages, "languages");
    if (!parsed || !parsed->is_array()) return Internal("a stored profile has malformed languages");
    for (const auto& v : parsed->as_array()) {
      if (v.is_string()) p.languages.emplace_back(v.as_string());
    }
  }
  DeclaredDomain d;
  db::Query(s, "SELECT domain, level FROM profile_domains WHERE user_id = :u ORDER BY domain")
      .Bind(uid)
      .Each(
          [&] {
            p.domains.push_back(d);
            return true;
          },
          d.domain, d.level);
  Affiliation a;
  db::Query(s,
            "SELECT id, organisation, organisation_key, kind, since, until FROM affiliations "
            "WHERE user_id = :u ORDER BY id")
      .Bind(uid)
      .Each(
          [&] {
            p.affiliations.push_back(a);
            return true;
          },
          a.id, a.organisation, a.organisation_key, a.kind, a.since, a.until);
  return p;
}

}  // namespace

Result<Profile> ProfileService::Get(std::int64_t user_id, soci::session* within) {
  long long uid = user_id;
  if (within) return ReadProfile(*within, uid);
  return db_.ReadSnapshot<Profile>([&](soci::session& s) { return ReadProfile(s, uid); });
}

Result<Profile> ProfileService::Put(const Caller& caller, const ProfileUpdate& update) {
  if (!caller.IsExpert()) return PermissionDenied("only experts keep a profile");
  std::vector<FieldError> errors;
  if (update.headline.size() > kMaxHeadlineBytes) {
    errors.push_back(
        Field("headline", "too_long", fmt::format("at most {} bytes", kMaxHeadlineBytes)));
  }
  std::vector<std::string> languages;
  if (update.languages.size() > kMaxLanguages) {
    errors.push_back(Field("languages", "too_many", fmt::format("at most {}", kMaxLanguages)));
  }
  for (std::size_t i = 0; i < update.languages.size(); ++i) {
    auto tag = CanonicalLanguageTag(update.languages[i]);
    std::string field = fmt::format("languages[{}]", i);
    if (!tag) {
      errors.push_back(Field(field, "invalid", "expected a language tag such as en or pt-BR"));
    } else if (std::find(languages.begin(), languages.end(), *tag) != languages.end()) {
      errors.push_back(Field(field, "duplicate", "listed twice"));
    } else {
      languages.push_back(*tag);
    }
  }
  if (!IsTimeZone(update.time_zone, zoneinfo_dir_)) {
    errors.push_back(
        Field("time_zone", "invalid", "expected an IANA time zone such as Europe/Berlin or UTC"));
  }
  if (update.weekly_hours_cap &&
      (*update.weekly_hours_cap < 1 || *update.weekly_hours_cap > kMaxWeeklyHours)) {
    errors.push_back(Field("weekly_hours_cap", "out_of_range",
                           fmt::format("between 1 and {} hours", kMaxWeeklyHours)));
  }
  for (std::size_t i = 0; i < update.domains.size(); ++i) {
    const DeclaredDomain& d = update.domains[i];
    if (d.level < kMinLevel || d.level > kMaxLevel) {
      errors.push_back(Field(fmt::format("domains[{}].level", i), "out_of_range",
                             "1 student, 2 bachelor, 3 master, 4 PhD, 5 licensed professional"));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (update.domains[j].domain == d.domain) {
        errors.push_back(Field(fmt::format("domains[{}].domain", i), "duplicate", "listed twice"));
        break;
      }
    }
  }
  if (update.affiliations.size() > kMaxAffiliations) {
    errors.push_back(
        Field("affiliations", "too_many", fmt::format("at most {}", kMaxAffiliations)));
  }
  std::vector<Affiliation> affiliations;
  for (std::size_t i = 0; i < update.affiliations.size(); ++i) {
    Affiliation a = update.affiliations[i];
    a.organisation_key = OrganisationKey(a.organisation);
    // Keep the name as written, without its outer white space.
    std::string_view name = a.organisation;
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front())))
      name.remove_prefix(1);
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back())))
      name.remove_suffix(1);
    a.organisation = std::string(name);
    if (a.organisation.empty()) {
      errors.push_back(Field(fmt::format("affiliations[{}].organisation", i), "required",
                             "name the organisation"));
    } else if (a.organisation.size() > kMaxOrganisationBytes) {
      errors.push_back(Field(fmt::format("affiliations[{}].organisation", i), "too_long",
                             fmt::format("at most {} bytes", kMaxOrganisationBytes)));
    }
    if (!IsAffiliationKind(a.kind)) {
      errors.push_back(
          Field(fmt::format("affiliations[{}].kind", i), "invalid", "expected employer or client"));
    }
    if (a.since && a.until && *a.until < *a.since) {
      errors.push_back(Field(fmt::format("affiliations[{}].until", i), "before_since",
                             "until must not be before since"));
    }
    affiliations.push_back(std::move(a));
  }
  if (!errors.empty()) {
    std::string message = errors.size() == 1
                              ? fmt::format("{}: {}", errors[0].field, errors[0].message)
                              : "the profile has errors; see details";
    return InvalidArgument(std::move(message), std::move(errors));
  }
  json::array langs;
  for (const auto& l : languages) langs.emplace_back(l);
  std::string languages_json = ToJson(langs);
  long long uid = caller.user_id, now = clock_.Now();
  return db_.Write<Profile>([&](soci::session& s) -> Result<Profile> {
    std::vector<FieldError> unknown;
    for (std::size_t i = 0; i < update.domains.size(); ++i) {
      if (!DomainExists(s, update.domains[i].domain)) {
        unknown.push_back(Field(fmt::format("domains[{}].domain", i), "unknown",
                                "not a known domain (GET /api/v1/domains)"));
      }
    }
    if (!unknown.empty()) {
      std::string message = fmt::format("{}: {}", unknown[0].field, unknown[0].message);
      return InvalidArgument(std::move(message), std::move(unknown));
    }
    std::string role;
    if (!db::Query(s, "SELECT role FROM users WHERE id = :u").Bind(uid).One(role) ||
        role != "expert") {
      return PermissionDenied("only experts keep a profile");
    }
    db::Query(s,
              "INSERT INTO expert_profiles (user_id, headline, languages, time_zone, "
              "weekly_hours_cap, updated_at) VALUES (:u, :h, :l, :t, :c, :now) ON CONFLICT "
              "(user_id) DO UPDATE SET headline = excluded.headline, languages = "
              "excluded.languages, time_zone = excluded.time_zone, weekly_hours_cap = "
              "excluded.weekly_hours_cap, updated_at = excluded.updated_at")
        .Bind(uid)
        .Bind(update.headline)
        .Bind(languages_json)
        .Bind(update.time_zone)
        .Bind(update.weekly_hours_cap)
        .Bind(now)
        .Run();
    db::Query(s, "DELETE FROM profile_domains WHERE user_id = :u").Bind(uid).Run();
    for (const DeclaredDomain& d : update.domains) {
      db::Query(s, "INSERT INTO profile_domains (user_id, domain, level) VALUES (:u, :d, :l)")
          .Bind(uid)
          .Bind(d.domain)
          .Bind(d.level)
          .Run();
    }
    db::Query(s, "DELETE FROM affiliations WHERE user_id = :u").Bind(uid).Run();
    for (const Affiliation& a : affiliations) {
      db::Query(s,
                "INSERT INTO affiliations (user_id, organisation, organisation_key, kind, since, "
                "until, created_at) VALUES (:u, :o, :k, :kind, :s, :until, :now)")
          .Bind(uid)
          .Bind(a.organisation)
          .Bind(a.organisation_key)
          .Bind(a.kind)
          .Bind(a.since)
          .Bind(a.until)
          .Bind(now)
          .Run();
    }
    return ReadProfile(s, uid);
  });
}

}  // namespace fw::experts
