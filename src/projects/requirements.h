#pragma once
// What a project asks of the experts who work on it, and whether it hands out work: the
// project's side of eligibility, which the experts room decides (experts/eligibility.h).
// Read without a tenant filter: experts work across labs, and routing chooses projects by
// what an expert holds, not by lab. Nothing here leaves the server as such.

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "projects/projects.h"

namespace fw::projects {

struct Requirements {
  std::int64_t project_id = 0;
  std::string domain;  // "" when any expert may work on it
  int min_level = 0;   // the level the expert must hold in `domain`, at least
  ProjectStatus status = ProjectStatus::kActive;
};

// The active projects' requirements, in id order, read inside the caller's transaction `s`.
// Throws SOCI's exceptions, like any statement there.
std::vector<Requirements> ActiveRequirements(soci::session& s);

// One project's requirements, inside `s`; nullopt when there is no such project.
std::optional<Requirements> RequirementsOf(soci::session& s, std::int64_t project_id);

}  // namespace fw::projects
