#pragma once
// HTTP routes of quality reports (docs/api.md, "Quality").

#include "http/router.h"
#include "quality/reports/reports.h"
#include "security/ids.h"

namespace fw::quality {

void RegisterRoutes(http::Router& router, ReportService& reports, const security::IdCodec& ids);

}  // namespace fw::quality
