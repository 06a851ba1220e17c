#pragma once
// The HTTP routes of the review room (docs/api.md, "Review"): a project's review policy and
// summary for its lab, the reviewer's queue and decisions, and the expert's answers and
// rework.

#include "experts/experts.h"
#include "http/router.h"
#include "review/review.h"
#include "security/ids.h"

namespace fw::review {

// Registers GET/PUT /api/v1/projects/{project_id}/review-policy and GET
// /api/v1/projects/{project_id}/review/summary (the project's lab); GET /api/v1/review/projects,
// POST /api/v1/review/next, GET /api/v1/review/claims, POST /api/v1/review/{review_id}/decision
// and /release (reviewers); GET /api/v1/me/answers, GET /api/v1/work/rework and POST
// /api/v1/work/rework/{submission_id} (experts). Borrows everything; all must outlive the
// router.
void RegisterRoutes(http::Router& router, ReviewService& review, experts::ExpertService& experts,
                    const security::IdCodec& ids);

}  // namespace fw::review
