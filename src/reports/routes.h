#pragma once
// HTTP routes of quality reports (docs/api.md, "Quality").

#include "http/router.h"
#include "reports/reports.h"
#include "security/ids.h"

namespace fw::reports {

void RegisterRoutes(http::Router& router, ReportService& reports, const security::IdCodec& ids);

}  // namespace fw::reports
