#pragma once
// HTTP routes of the delivery room (docs/api.md, "Export (labs)").

#include "delivery/export.h"
#include "http/router.h"
#include "security/ids.h"

namespace fw::delivery {

// Registers GET /api/v1/projects/{project_id}/export?format=raw|sft|preference (default raw),
// for lab members; the body streams as application/x-ndjson with Content-Disposition:
// attachment; filename="<project id>-<format>.jsonl". Errors before the first byte: 404 (no
// such project in the caller's lab), 400 (unknown format; a format the template has no
// mapping for). `exports` and `ids` must outlive the router.
void RegisterRoutes(http::Router& router, ExportService& exports, const security::IdCodec& ids);

}  // namespace fw::delivery
