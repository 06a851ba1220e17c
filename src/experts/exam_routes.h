#pragma once
// The HTTP routes of qualification exams (docs/api.md, "Qualification exams"): operators build
// banks, experts take them, reviewers grade free-text answers. Labs get 404 on every one of
// them: exams and their gold are none of a lab's business.

#include "base/clock.h"
#include "experts/exams.h"
#include "http/router.h"
#include "security/ids.h"

namespace fw::experts {

// Registers /api/v1/exams…, /api/v1/exam-attempts… and /api/v1/exam-gradings…. The service,
// clock and codec are borrowed and must outlive the router.
void RegisterExamRoutes(http::Router& router, ExamService& exams, const Clock& clock,
                        const security::IdCodec& ids);

}  // namespace fw::experts
