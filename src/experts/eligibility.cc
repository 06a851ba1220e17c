#include "experts/eligibility.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/json.h"
#include "db/query.h"
#include "projects/pool.h"

namespace fw::experts {

Error Unmet::ToError() const {
  if (reason == "project_inactive" || reason == "gated") {
    return Error(ErrorCode::kConflict, message, {}, reason);
  }
  return Error(ErrorCode::kPermissionDenied, message, {}, reason);
}

bool Unmet::Unlockable() const {
  return reason == "paused" || reason == "not_qualified" || reason == "qualification_expired" ||
         reason == "exam_score" || reason == "credential_missing" || reason == "language_missing" ||
         reason == "terms_not_accepted";
}

namespace {

// A domain's name as words ("quantum_field_theory" -> "quantum field theory").
std::string Words(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

template <typename T>
const T* FindByProject(const std::vector<std::pair<std::int64_t, T>>& v, std::int64_t project) {
  auto it = std::lower_bound(v.begin(), v.end(), project,
                             [](const auto& e, std::int64_t p) { return e.first < p; });
  return it != v.end() && it->first == project ? &it->second : nullptr;
}

bool Contains(const std::vector<std::int64_t>& sorted, std::int64_t v) {
  return std::binary_search(sorted.begin(), sorted.end(), v);
}

Unmet Inactive(const projects::Requirements& project) {
  const bool archived = project.status == projects::ProjectStatus::kArchived;
  return {"project_inactive", archived ? "the project was archived" : "this project is not active",
          archived};
}

// "at level 4 (PhD) or higher", or "" for a project that takes any level.
std::string AtLevel(int level) {
  if (level <= 0) return "";
  return fmt::format(" at level {} ({}) or higher", level, LevelName(level));
}

std::string ExamHint(const projects::Requirements& project) {
  return fmt::format("pass the {} exam, level {}", Words(project.domain),
                     std::max(project.min_level, 1));
}

// The qualification requirement: a current one at the level, or why not.
std::optional<Unmet> QualificationUnmet(const Standing& st, const projects::Requirements& p) {
  if (p.domain.empty()) return std::nullopt;
  if (Qualifies(st.qualifications, p.domain, p.min_level, st.now)) {
    if (p.min_exam_score <= 0) return std::nullopt;
    for (const Qualification& q : st.qualifications) {
      if ((q.domain == p.domain || q.parent == p.domain) && q.level >= p.min_level &&
          q.Current(st.now) && q.grounds.kind == "exam" && q.grounds.score &&
          *q.grounds.score >= p.min_exam_score) {
        return std::nullopt;
      }
    }
    return Unmet{"exam_score",
                 fmt::format("this project needs a score of at least {} in the {} exam{}: {} "
                             "with {} or more",
                             p.min_exam_score, Words(p.domain), AtLevel(p.min_level), ExamHint(p),
                             p.min_exam_score),
                 false};
  }
  const bool expired =
      std::any_of(st.qualifications.begin(), st.qualifications.end(), [&](const Qualification& q) {
        return (q.domain == p.domain || q.parent == p.domain) && q.level >= p.min_level &&
               !q.Current(st.now);
      });
  if (expired) {
    return Unmet{"qualification_expired",
                 fmt::format("your qualification in {}{} has expired: {} again, or have a "
                             "current credential verified",
                             Words(p.domain), AtLevel(p.min_level), ExamHint(p)),
                 true};
  }
  return Unmet{"not_qualified",
               fmt::format("this project needs a qualification in {}{}: {}, or have a "
                           "credential verified",
                           Words(p.domain), AtLevel(p.min_level), ExamHint(p)),
               true};
}

std::optional<Unmet> CredentialUnmet(const Standing& st, const projects::Requirements& p) {
  std::vector<std::string> missing;
  for (const std::string& kind : p.credential_kinds) {
    bool held =
        std::any_of(st.credentials.begin(), st.credentials.end(), [&](const HeldCredential& c) {
          return c.kind == kind && (p.domain.empty() || c.domain.empty() || c.domain == p.domain ||
                                    c.parent == p.domain);
        });
    if (!held) missing.push_back(kind);
  }
  if (missing.empty()) return std::nullopt;
  std::string list = fmt::format("{}", fmt::join(missing, ", "));
  std::string where = p.domain.empty() ? "" : fmt::format(" in {}", Words(p.domain));
  return Unmet{"credential_missing",
               fmt::format("this project needs a verified {}{}: add it under your credentials, "
                           "with its evidence, for an operator to verify",
                           list, where),
               false};
}

std::optional<Unmet> LanguageUnmet(const Standing& st, const projects::Requirements& p) {
  std::vector<std::string> missing;
  for (const std::string& want : p.languages) {
    bool held = std::any_of(st.languages.begin(), st.languages.end(), [&](const std::string& l) {
      return projects::LanguageCovers(l, want);
    });
    if (!held) missing.push_back(want);
  }
  if (missing.empty()) return std::nullopt;
  return Unmet{"language_missing",
               fmt::format("this project needs work in {}: add {} to your profile's languages",
                           fmt::join(missing, ", "), missing.size() == 1 ? "it" : "them"),
               false};
}

std::optional<Unmet> TermsUnmet(const Standing& st, const projects::Requirements& p) {
  if (p.terms_version <= 0) return std::nullopt;
  const int* accepted = FindByProject(st.terms, p.project_id);
  if (accepted && *accepted >= p.terms_version) return std::nullopt;
  if (accepted) {
    return Unmet{"terms_not_accepted",
                 fmt::format("the project's terms changed (version {}): accept them again before "
                             "your next task",
                             p.terms_version),
                 false};
  }
  return Unmet{
      "terms_not_accepted",
      fmt::format("accept the project's terms (version {}) before its first task", p.terms_version),
      false};
}

std::optional<Unmet> ExclusionUnmet(const Standing& st, const projects::Requirements& p) {
  if (!Contains(st.excluded_projects, p.project_id)) return std::nullopt;
  return Unmet{"excluded", "the project's lab has excluded you from this project", true};
}

std::optional<Unmet> ConflictUnmet(const Standing& st, const projects::Requirements& p) {
  for (const HeldAffiliation& a : st.affiliations) {
    if (std::binary_search(p.competitors.begin(), p.competitors.end(), a.organisation_key)) {
      return Unmet{"conflict_of_interest",
                   fmt::format("you are affiliated with {}, which this project's lab names as a "
                               "competitor",
                               a.organisation),
                   true};
    }
  }
  return std::nullopt;
}

std::optional<Unmet> PausedUnmet(const Standing& st, const projects::Requirements& p) {
  const std::string* why = FindByProject(st.paused, p.project_id);
  if (!why) return std::nullopt;
  return Unmet{
      "paused",
      why->empty() ? "you are paused on this project; an operator can reinstate you" : *why, true};
}

std::optional<Unmet> GateUnmet(const Standing& st, const projects::Requirements& p) {
  if (!Contains(st.gated_projects, p.project_id)) return std::nullopt;
  return Unmet{"gated",
               "the project's quality gate gives you no more of its items (your answers so far "
               "agree too little with the other experts')",
               false};
}

using Check = std::optional<Unmet> (*)(const Standing&, const projects::Requirements&);

// Every requirement after the project's status, in the order they are reported.
constexpr Check kChecks[] = {ExclusionUnmet,  ConflictUnmet, PausedUnmet, QualificationUnmet,
                             CredentialUnmet, LanguageUnmet, TermsUnmet,  GateUnmet};

}  // namespace

std::vector<Unmet> UnmetRequirements(const Standing& st, const projects::Requirements& p) {
  std::vector<Unmet> out;
  if (p.status != projects::ProjectStatus::kActive) out.push_back(Inactive(p));
  for (Check check : kChecks) {
    if (auto u = check(st, p)) out.push_back(std::move(*u));
  }
  return out;
}

std::optional<Unmet> WhyNot(const Standing& standing, const projects::Requirements& project) {
  if (project.status != projects::ProjectStatus::kActive) return Inactive(project);
  for (Check check : kChecks) {
    if (auto u = check(standing, project)) return u;
  }
  return std::nullopt;
}

std::optional<Unmet> LeaseLapsed(const Standing& standing, const projects::Requirements& project) {
  if (project.status == projects::ProjectStatus::kArchived) return Inactive(project);
  for (Check check : {ExclusionUnmet, ConflictUnmet, PausedUnmet, QualificationUnmet}) {
    auto u = check(standing, project);
    if (u && u->ends_leases) return u;
  }
  return std::nullopt;
}

Eligibility::Eligibility(db::Database& db, ExpertService& experts) : db_(db), experts_(experts) {}

Result<Standing> Eligibility::StandingOf(std::int64_t expert_id, soci::session* within) {
  auto read = [&](soci::session& s) -> Result<Standing> {
    FW_TRY(Standing st, LeaseStandingOf(expert_id, &s));
    st.gated_projects = projects::GatedProjects(s, expert_id);
    return st;
  };
  if (within != nullptr) return read(*within);
  return db_.Read<Standing>(read);
}

namespace {

// Everything of the expert's standing beyond qualifications and gates, in one statement.
void ReadNetwork(soci::session& s, Standing& st) {
  long long e = st.expert_id, now = st.now;
  std::string tag, a, b, c;
  long long project = 0, number = 0;
  db::Query(s,
            "SELECT 'c', c.kind, COALESCE(c.domain, ''), COALESCE(d.parent, ''), CAST(0 AS "
            "BIGINT), CAST(0 AS BIGINT) FROM credentials c LEFT JOIN domains d ON d.name = "
            "c.domain WHERE c.user_id = :e1 AND c.status = 'verified' AND (c.expires_at IS NULL "
            "OR c.expires_at > :n1) "
            "UNION ALL SELECT 'a', organisation, organisation_key, '', CAST(0 AS BIGINT), "
            "CAST(0 AS BIGINT) FROM affiliations WHERE user_id = :e2 AND (since IS NULL OR since "
            "<= :n2) AND (until IS NULL OR until > :n3) "
            "UNION ALL SELECT 'l', languages, '', '', CAST(0 AS BIGINT), CAST(0 AS BIGINT) FROM "
            "expert_profiles WHERE user_id = :e3 "
            "UNION ALL SELECT 't', '', '', '', project_id, CAST(MAX(version) AS BIGINT) FROM "
            "terms_acceptances WHERE expert_id = :e4 GROUP BY project_id "
            "UNION ALL SELECT 'x', '', '', '', project_id, CAST(0 AS BIGINT) FROM "
            "project_exclusions WHERE expert_id = :e5 "
            "UNION ALL SELECT 'p', reason, '', '', project_id, CAST(0 AS BIGINT) FROM "
            "expert_standings WHERE expert_id = :e6 AND paused = 1")
      .Bind(e)
      .Bind(now)
      .Bind(e)
      .Bind(now)
      .Bind(now)
      .Bind(e)
      .Bind(e)
      .Bind(e)
      .Bind(e)
      .Each(
          [&] {
            switch (tag.empty() ? ' ' : tag[0]) {
              case 'c':
                st.credentials.push_back({a, b, c});
                break;
              case 'a':
                st.affiliations.push_back({a, b});
                break;
              case 'l':
                st.languages = ParseStringArray(a);
                break;
              case 't':
                st.terms.emplace_back(project, static_cast<int>(number));
                break;
              case 'x':
                st.excluded_projects.push_back(project);
                break;
              case 'p':
                st.paused.emplace_back(project, a);
                break;
              default:
                break;
            }
            return true;
          },
          tag, a, b, c, project, number);
  std::sort(st.terms.begin(), st.terms.end());
  std::sort(st.excluded_projects.begin(), st.excluded_projects.end());
  std::sort(st.paused.begin(), st.paused.end());
}

}  // namespace

Result<Standing> Eligibility::LeaseStandingOf(std::int64_t expert_id, soci::session* within) {
  Standing st;
  st.expert_id = expert_id;
  st.now = experts_.clock().Now();
  auto read = [&](soci::session& s) -> Result<Standing> {
    FW_TRY(st.qualifications, experts_.Qualifications(expert_id, &s));
    ReadNetwork(s, st);
    return std::move(st);
  };
  if (within != nullptr) return read(*within);
  return db_.Read<Standing>(read);
}

Result<std::vector<projects::Requirements>> Eligibility::Projects(std::int64_t expert_id) {
  return db_.Read<std::vector<projects::Requirements>>(
      [&](soci::session& s) -> Result<std::vector<projects::Requirements>> {
        FW_TRY(Standing st, StandingOf(expert_id, &s));
        std::vector<projects::Requirements> out;
        for (projects::Requirements& p : projects::ActiveRequirements(s)) {
          if (!WhyNot(st, p)) out.push_back(std::move(p));
        }
        return out;
      });
}

Result<Eligibility::Verdict> Eligibility::Check(std::int64_t expert_id, std::int64_t project_id) {
  return db_.Read<Verdict>([&](soci::session& s) -> Result<Verdict> {
    auto project = projects::RequirementsOf(s, project_id);
    if (!project) return NotFound("no such project");
    FW_TRY(Standing st, StandingOf(expert_id, &s));
    Verdict v{std::move(*project), std::nullopt};
    v.unmet = WhyNot(st, v.project);
    return v;
  });
}

Result<std::vector<Eligibility::Locked>> Eligibility::LockedProjects(std::int64_t expert_id) {
  return db_.Read<std::vector<Locked>>([&](soci::session& s) -> Result<std::vector<Locked>> {
    FW_TRY(Standing st, StandingOf(expert_id, &s));
    std::vector<Locked> out;
    for (projects::Requirements& p : projects::ActiveRequirements(s)) {
      std::vector<Unmet> unmet = UnmetRequirements(st, p);
      if (unmet.empty()) continue;
      if (!std::all_of(unmet.begin(), unmet.end(), [](const Unmet& u) { return u.Unlockable(); }))
        continue;
      out.push_back({std::move(p), std::move(unmet)});
    }
    return out;
  });
}

}  // namespace fw::experts
