#pragma once
// The HTTP routes of active time (docs/api.md, "Timesheets and disputes"): the expert's
// timesheet and disputes, and the operators' list and resolution of disputes.

#include "http/router.h"
#include "pay/time.h"
#include "security/ids.h"

namespace fw::pay {

// Registers GET /api/v1/me/timesheet, GET and POST /api/v1/me/disputes (experts), GET
// /api/v1/disputes and POST /api/v1/disputes/{dispute_id}/resolve (operators). The service
// and codec are borrowed and must outlive the router.
void RegisterTimeRoutes(http::Router& router, TimeService& time, const security::IdCodec& ids);

}  // namespace fw::pay
