#pragma once
// HTTP routes of the work loop (docs/api.md, "The work loop").

#include "http/router.h"
#include "security/ids.h"
#include "work/work.h"

namespace fw::work {

void RegisterRoutes(http::Router& router, WorkService& work, const security::IdCodec& ids);

}  // namespace fw::work
