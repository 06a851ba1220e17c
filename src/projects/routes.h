#pragma once
// HTTP routes of the projects room (docs/api.md, "Projects and items").

#include "http/router.h"
#include "projects/projects.h"
#include "security/ids.h"

namespace fw::projects {

void RegisterRoutes(http::Router& router, ProjectService& projects, const security::IdCodec& ids);

// The JSON form of a project (with counts and progress when given) and of an item, shared
// with the delivery and work rooms.
boost::json::object ProjectJson(const Project& p, const security::IdCodec& ids,
                                const ProjectCounts* counts, const Progress* progress);
boost::json::object ProgressJson(const Progress& progress);
boost::json::object ItemJson(const Item& item, const security::IdCodec& ids);

// The paging parameters of an item listing: ?limit= (default 100; the service checks the
// range) and ?after=<item id>. Errors: kInvalidArgument naming limit or after.
struct ItemPageRequest {
  int limit = 100;
  std::int64_t after = 0;
};
[[nodiscard]] Result<ItemPageRequest> ParseItemPage(const http::Request& req, const security::IdCodec& ids);

}  // namespace fw::projects
