#include "experts/project_rules.h"

#include <fmt/format.h>

#include "db/query.h"

namespace fw::experts {

ProjectRules::ProjectRules(db::Database& db, const Clock& clock, ExpertService& experts,
                           Eligibility& eligibility, projects::ProjectService& projects)
    : db_(db), clock_(clock), experts_(experts), eligibility_(eligibility), projects_(projects) {}

Result<projects::Terms> ProjectRules::VisibleTerms(soci::session& s, std::int64_t expert_id,
                                                   std::int64_t project_id) {
  auto project = projects::RequirementsOf(s, project_id);
  if (!project || project->status != projects::ProjectStatus::kActive) {
    return NotFound("no such project");
  }
  FW_TRY(Standing st, eligibility_.LeaseStandingOf(expert_id, &s));
  for (const Unmet& u : UnmetRequirements(st, *project)) {
    if (u.reason == "excluded" || u.reason == "conflict_of_interest") {
      return NotFound("no such project");
    }
  }
  auto terms = projects::TermsOf(s, project_id);
  if (!terms || terms->version == 0) return NotFound("this project has no terms");
  return *terms;
}

namespace {

std::optional<UnixSeconds> AcceptedAt(soci::session& s, long long project, long long expert,
                                      int version) {
  long long at = 0;
  if (!db::Query(s,
                 "SELECT accepted_at FROM terms_acceptances WHERE project_id = :p AND expert_id "
                 "= :e AND version = :v")
           .Bind(project)
           .Bind(expert)
           .Bind(version)
           .One(at)) {
    return std::nullopt;
  }
  return at;
}

}  // namespace

Result<TermsView> ProjectRules::Terms(const Caller& expert, std::int64_t project_id) {
  FW_CHECK(expert.IsExpert());
  return db_.Read<TermsView>([&](soci::session& s) -> Result<TermsView> {
    TermsView v;
    FW_TRY(v.terms, VisibleTerms(s, expert.user_id, project_id));
    v.accepted_at = AcceptedAt(s, project_id, expert.user_id, v.terms.version);
    return v;
  });
}

Result<TermsView> ProjectRules::AcceptTerms(const Caller& expert, std::int64_t project_id,
                                            int version) {
  FW_CHECK(expert.IsExpert());
  const long long now = clock_.Now();
  return db_.Write<TermsView>([&](soci::session& s) -> Result<TermsView> {
    TermsView v;
    FW_TRY(v.terms, VisibleTerms(s, expert.user_id, project_id));
    if (version != v.terms.version) {
      return Fail(Error(
          ErrorCode::kConflict,
          fmt::format("the project's terms are now version {}: read them again "
                      "and accept that version",
                      v.terms.version),
          {{"version", "terms_changed", fmt::format("the current version is {}", v.terms.version)}},
          "terms_changed"));
    }
    long long pid = project_id, uid = expert.user_id;
    db::Query(s,
              "INSERT INTO terms_acceptances (project_id, expert_id, version, accepted_at) "
              "VALUES (:p, :e, :v, :t) ON CONFLICT (project_id, expert_id, version) DO NOTHING")
        .Bind(pid)
        .Bind(uid)
        .Bind(version)
        .Bind(now)
        .Run();
    v.accepted_at = AcceptedAt(s, pid, uid, version);
    return v;
  });
}

Result<std::int64_t> ProjectRules::ExpertByPseudonym(std::int64_t org_id,
                                                     std::string_view pseudonym) {
  auto not_found = [] {
    return Fail(
        Error(ErrorCode::kNotFound, "no expert has that pseudonym for this lab",
              {{"pseudonym", "not_found", "a pseudonym from the lab's workforce or items"}}));
  };
  if (pseudonym.size() != 13 || pseudonym.substr(0, 3) != "ex_") return not_found();
  FW_TRY(auto experts,
         db_.Read<std::vector<long long>>([](soci::session& s) -> Result<std::vector<long long>> {
           std::vector<long long> ids;
           for (auto& [id] : db::Query(s,
                                       "SELECT id FROM users WHERE role = "
                                       "'expert' ORDER BY id")
                                 .All<long long>()) {
             ids.push_back(id);
           }
           return ids;
         }));
  for (long long id : experts) {
    FW_TRY(std::string p, experts_.Pseudonym(org_id, id));
    if (p == pseudonym) return id;
  }
  return not_found();
}

Result<std::vector<Exclusion>> ProjectRules::Exclusions(const Caller& lab,
                                                        std::int64_t project_id) {
  FW_TRY(projects::Project project, projects_.Get(lab, project_id));
  using Rows = std::vector<std::pair<long long, long long>>;
  FW_TRY(Rows rows, db_.Read<Rows>([&](soci::session& s) -> Result<Rows> {
    Rows out;
    long long pid = project.id, org = project.org_id;
    for (auto& [e, at] : db::Query(s,
                                   "SELECT expert_id, created_at FROM project_exclusions "
                                   "WHERE project_id = :p AND org_id = :o ORDER BY "
                                   "created_at DESC, expert_id")
                             .Bind(pid)
                             .Bind(org)
                             .All<long long, long long>()) {
      out.emplace_back(e, at);
    }
    return out;
  }));
  std::vector<Exclusion> out;
  for (auto& [expert, at] : rows) {
    FW_TRY(std::string p, experts_.Pseudonym(project.org_id, expert));
    out.push_back({std::move(p), at});
  }
  return out;
}

Result<Exclusion> ProjectRules::Exclude(const Caller& lab, std::int64_t project_id,
                                        std::string_view pseudonym) {
  FW_TRY(projects::Project project, projects_.Get(lab, project_id));
  FW_TRY(std::int64_t expert, ExpertByPseudonym(project.org_id, pseudonym));
  const long long now = clock_.Now();
  return db_.Write<Exclusion>([&](soci::session& s) -> Result<Exclusion> {
    long long pid = project.id, org = project.org_id, e = expert, by = lab.user_id;
    db::Query(s,
              "INSERT INTO project_exclusions (project_id, expert_id, org_id, created_by, "
              "created_at) VALUES (:p, :e, :o, :b, :t) ON CONFLICT (project_id, expert_id) DO "
              "NOTHING")
        .Bind(pid)
        .Bind(e)
        .Bind(org)
        .Bind(by)
        .Bind(now)
        .Run();
    Exclusion x{std::string(pseudonym), now};
    db::Query(s,
              "SELECT created_at FROM project_exclusions WHERE project_id = :p AND expert_id = :e")
        .Bind(pid)
        .Bind(e)
        .One(x.created_at);
    if (lease_check_) FW_TRY_STATUS(lease_check_(s, expert));
    return x;
  });
}

Status ProjectRules::Readmit(const Caller& lab, std::int64_t project_id,
                             std::string_view pseudonym) {
  FW_TRY(projects::Project project, projects_.Get(lab, project_id));
  FW_TRY(std::int64_t expert, ExpertByPseudonym(project.org_id, pseudonym));
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    long long pid = project.id, org = project.org_id, e = expert;
    long long n = db::Query(s,
                            "DELETE FROM project_exclusions WHERE project_id = :p AND "
                            "org_id = :o AND expert_id = :e")
                      .Bind(pid)
                      .Bind(org)
                      .Bind(e)
                      .Run();
    if (n == 0) {
      return Fail(Error(ErrorCode::kNotFound, "that expert is not excluded from this project",
                        {{"pseudonym", "not_found", "not excluded"}}));
    }
    return true;
  }));
  return {};
}

}  // namespace fw::experts
