#include "projects/requirements.h"

#include "db/query.h"

namespace fw::projects {

std::vector<Requirements> ActiveRequirements(soci::session& s) {
  std::vector<Requirements> out;
  for (auto& [id, domain, level] :
       db::Query(s,
                 "SELECT id, domain, min_level FROM projects WHERE status = 'active' ORDER BY id")
           .All<long long, std::string, int>()) {
    out.push_back({id, std::move(domain), level, ProjectStatus::kActive});
  }
  return out;
}

std::optional<Requirements> RequirementsOf(soci::session& s, std::int64_t project_id) {
  Requirements r;
  long long id = 0;
  std::string status;
  if (!db::Query(s, "SELECT id, domain, min_level, status FROM projects WHERE id = :p")
           .Bind(project_id)
           .One(id, r.domain, r.min_level, status)) {
    return std::nullopt;
  }
  r.project_id = id;
  r.status = ParseProjectStatus(status);
  return r;
}

}  // namespace fw::projects
