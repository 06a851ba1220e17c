#include "experts/eligibility.h"

#include <fmt/format.h>

#include <algorithm>

#include "projects/pool.h"

namespace fw::experts {

Error Unmet::ToError() const {
  if (reason == "not_qualified") {
    return Error(ErrorCode::kPermissionDenied, message, {}, reason);
  }
  return Error(ErrorCode::kConflict, message, {}, reason);
}

namespace {

Unmet Inactive(const projects::Requirements& project) {
  const bool archived = project.status == projects::ProjectStatus::kArchived;
  return {"project_inactive", archived ? "the project was archived" : "this project is not active",
          archived};
}

Unmet NotQualified(const projects::Requirements& project) {
  return {"not_qualified",
          fmt::format("this project needs a qualification in {} at level {} ({}) or higher",
                      project.domain, project.min_level, LevelName(project.min_level)),
          true};
}

}  // namespace

std::optional<Unmet> WhyNot(const Standing& standing, const projects::Requirements& project) {
  if (project.status != projects::ProjectStatus::kActive) return Inactive(project);
  if (!Qualifies(standing.qualifications, project.domain, project.min_level, standing.now)) {
    return NotQualified(project);
  }
  if (std::binary_search(standing.gated_projects.begin(), standing.gated_projects.end(),
                         project.project_id)) {
    return Unmet{"gated",
                 "the project's quality gate gives you no more of its items (your answers so far "
                 "agree too little with the other experts')",
                 false};
  }
  return std::nullopt;
}

std::optional<Unmet> LeaseLapsed(const Standing& standing, const projects::Requirements& project) {
  if (project.status == projects::ProjectStatus::kArchived) return Inactive(project);
  if (!Qualifies(standing.qualifications, project.domain, project.min_level, standing.now)) {
    return NotQualified(project);
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

Result<Standing> Eligibility::LeaseStandingOf(std::int64_t expert_id, soci::session* within) {
  Standing st;
  st.expert_id = expert_id;
  st.now = experts_.clock().Now();
  FW_TRY(st.qualifications, experts_.Qualifications(expert_id, within));
  return st;
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

}  // namespace fw::experts
