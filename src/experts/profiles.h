#pragma once
// What an expert says about themselves: a headline, languages, a time zone, a weekly hour
// cap, declared domains with levels (a claim; qualifications are what was checked) and
// affiliations (employers and clients, which a project's competitors are matched against).
// Kept in expert_profiles, profile_domains and affiliations.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"
#include "projects/expert_requirements.h"

namespace fw::experts {

// Where the IANA time zone database lives on Debian.
inline constexpr std::string_view kZoneinfoDir = "/usr/share/zoneinfo";
inline constexpr std::size_t kMaxLanguages = 20;
inline constexpr std::size_t kMaxAffiliations = 50;
inline constexpr std::size_t kMaxHeadlineBytes = 300;
inline constexpr std::size_t kMaxOrganisationBytes = 200;
// A week has 168 hours; a cap above it means nothing.
inline constexpr int kMaxWeeklyHours = 168;

using projects::CanonicalLanguageTag;

// Whether `name` is an IANA time zone: "UTC", or an Area/Location name ("Europe/Berlin",
// "America/Argentina/Buenos_Aires") that names a TZif file under `zoneinfo_dir`. Names are
// checked for shape first (letters, digits, "_", "-", "+", "/" between non-empty parts, no
// "."), so no path outside the directory is ever opened. When `zoneinfo_dir` does not exist,
// the shape alone decides, with the area one of IANA's (Africa, America, Antarctica, Arctic,
// Asia, Atlantic, Australia, Europe, Indian, Pacific, Etc).
bool IsTimeZone(std::string_view name, std::string_view zoneinfo_dir = kZoneinfoDir);

using projects::OrganisationKey;

// Whether `kind` names an affiliation kind ("employer", "client").
bool IsAffiliationKind(std::string_view kind);

struct DeclaredDomain {
  std::string domain;
  int level = 0;  // 1..5 (see LevelName)
  friend bool operator==(const DeclaredDomain&, const DeclaredDomain&) = default;
};

struct Affiliation {
  std::int64_t id = 0;
  std::string organisation;
  std::string organisation_key;  // OrganisationKey(organisation)
  std::string kind;              // "employer" or "client"
  std::optional<UnixSeconds> since;
  std::optional<UnixSeconds> until;  // nullopt: ongoing
};

struct Profile {
  std::int64_t user_id = 0;
  std::string headline;
  std::vector<std::string> languages;  // canonical tags, in the order given
  std::string time_zone = "UTC";
  std::optional<int> weekly_hours_cap;
  std::vector<DeclaredDomain> domains;    // by domain name
  std::vector<Affiliation> affiliations;  // in the order given
  std::optional<UnixSeconds> updated_at;  // nullopt: never saved (the defaults)
};

// A whole profile as the expert sends it; it replaces the stored one.
struct ProfileUpdate {
  std::string headline;
  std::vector<std::string> languages;
  std::string time_zone = "UTC";
  std::optional<int> weekly_hours_cap;
  std::vector<DeclaredDomain> domains;
  std::vector<Affiliation> affiliations;  // id and organisation_key are ignored
};

// Reads and replaces experts' profiles. Thread safety: any thread; each call is one
// transaction. Ownership: borrows the database and clock, which must outlive it.
class ProfileService {
 public:
  ProfileService(db::Database& db, const Clock& clock,
                 std::string zoneinfo_dir = std::string(kZoneinfoDir));

  // The user's profile; the defaults (UTC, nothing declared) when none was saved. Read with
  // `within` when given. Errors: only database failures.
  [[nodiscard]] Result<Profile> Get(std::int64_t user_id, soci::session* within = nullptr);

  // Replaces the caller's profile, declared domains and affiliations in one transaction.
  // Errors: kInvalidArgument naming the field at fault: "headline" (over 300 bytes),
  // "languages[i]" (not a language tag; code "invalid"; "duplicate"), "languages" (over 20),
  // "time_zone" (not an IANA time zone), "weekly_hours_cap" (outside 1..168),
  // "domains[i].domain" (code "unknown": not in the domains table; "duplicate"),
  // "domains[i].level" (outside 1..5), "affiliations[i].organisation" (blank or over 200
  // bytes), "affiliations[i].kind" (not employer or client), "affiliations[i].until" (before
  // since), "affiliations" (over 50); kPermissionDenied (the caller is not an expert).
  // Nothing is stored on any error. A retry stores the same profile again.
  [[nodiscard]] Result<Profile> Put(const Caller& caller, const ProfileUpdate& update);

 private:
  db::Database& db_;
  const Clock& clock_;
  std::string zoneinfo_dir_;
};

}  // namespace fw::experts
