#pragma once
// What a project asks of the experts who work on it, and whether it hands out work: the
// project's side of eligibility, which the experts room decides (experts/eligibility.h).
//
// What a lab sets is projects/expert_requirements.h; this is the routing view of it.
// Routing reads Requirements without a tenant filter: experts work across labs, and routing
// chooses projects by what an expert holds, not by lab. Nothing here leaves the server as such.

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "projects/projects.h"

namespace fw::projects {

// The routing view of a project: what eligibility checks an expert against.
struct Requirements {
  std::int64_t project_id = 0;
  std::string domain;  // "" when any expert may work on it
  int min_level = 0;   // the level the expert must hold in `domain`, at least
  ProjectStatus status = ProjectStatus::kActive;
  std::int64_t org_id = 0;
  int min_exam_score = 0;
  std::vector<std::string> credential_kinds;
  std::vector<std::string> languages;
  std::vector<std::string> competitors;
  int terms_version = 0;
};

// The active projects' requirements, in id order, read inside the caller's transaction `s`.
// Throws SOCI's exceptions, like any statement there.
std::vector<Requirements> ActiveRequirements(soci::session& s);

// One project's requirements, inside `s`; nullopt when there is no such project.
std::optional<Requirements> RequirementsOf(soci::session& s, std::int64_t project_id);

// The current terms of a project: version 0 when it has none.
struct Terms {
  int version = 0;
  std::string text;
  std::int64_t created_at = 0;
};
// Read inside `s`, without a tenant filter (experts read the terms of any lab's project they
// may work on). nullopt when there is no such project.
std::optional<Terms> TermsOf(soci::session& s, std::int64_t project_id);

}  // namespace fw::projects
