#pragma once
// Eligibility: whether an expert may work on a project, and if not, why not. The one owner of
// that rule: routing asks it which projects an expert may take work from (fast: one read
// transaction for the expert's standing and the active projects), the work loop asks it
// whether a running lease still stands, and a refusal names the unmet requirement (for a 403
// and for the expert's screen).
//
// Today a project requires a qualification in its domain at its minimum level, and adaptive
// redundancy's gate may turn an expert away from a project (projects/pool.h); the project must
// be active to hand out work. Credentials, exams, accepted terms, conflicts of interest and
// pauses join as further requirements here, each an Unmet with its own reason.
//
// Checks against a Standing are pure, so a caller reads the standing once (inside a
// transaction it already holds, when it has one) and checks as many projects as it likes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "db/database.h"
#include "experts/experts.h"
#include "projects/requirements.h"

namespace fw::experts {

// The first requirement of a project that an expert does not meet.
struct Unmet {
  // Machine-readable: "not_qualified" (no qualification in the domain at the level),
  // "project_inactive" (paused or archived), "gated" (adaptive redundancy's gate).
  std::string reason;
  std::string message;  // for the expert: what is missing, in words
  // Whether it also ends the expert's running leases on the project: a lost qualification or
  // an archived project does; a gate or a paused project only stops new work.
  bool ends_leases = false;
  // The error a request for the project's work answers with: kPermissionDenied for
  // "not_qualified", kConflict for "project_inactive" and "gated".
  Error ToError() const;
};

// What an expert brings to eligibility, read once.
struct Standing {
  std::int64_t expert_id = 0;
  UnixSeconds now = 0;  // when it was read: what expires is judged at this time
  std::vector<Qualification> qualifications;
  std::vector<std::int64_t> gated_projects;  // ascending
};

// Why the expert may take no new work from the project; nullopt when they may. Checks in
// order: the project is active, the qualification, the gate.
std::optional<Unmet> WhyNot(const Standing& standing, const projects::Requirements& project);

// Why a running lease of the expert on the project no longer stands (an unmet requirement with
// ends_leases); nullopt when it stands. A paused project or a gate lets it finish.
std::optional<Unmet> LeaseLapsed(const Standing& standing, const projects::Requirements& project);

// Reads standings and the projects they open. Thread safety: any thread; each call is one
// read transaction, or runs inside the caller's. Borrows the database and the expert service,
// which must outlive it.
class Eligibility {
 public:
  Eligibility(db::Database& db, ExpertService& experts);

  // The expert's standing, read inside `within` when given (an open transaction of the
  // caller's), else in a read transaction of its own. Errors: database failures only.
  [[nodiscard]] Result<Standing> StandingOf(std::int64_t expert_id,
                                            soci::session* within = nullptr);

  // The part of the standing a running lease rests on (LeaseLapsed): the qualifications, with
  // gated_projects left empty. Saves the gate read on the heartbeat and submit paths. As
  // StandingOf otherwise.
  [[nodiscard]] Result<Standing> LeaseStandingOf(std::int64_t expert_id,
                                                 soci::session* within = nullptr);

  // The active projects the expert may take new work from, in id order, with their
  // requirements. Errors: database failures only.
  [[nodiscard]] Result<std::vector<projects::Requirements>> Projects(std::int64_t expert_id);

  // One project's requirements and, when the expert may not take work from it, why not.
  // Errors: kNotFound (no such project), database failures.
  struct Verdict {
    projects::Requirements project;
    std::optional<Unmet> unmet;
  };
  [[nodiscard]] Result<Verdict> Check(std::int64_t expert_id, std::int64_t project_id);

 private:
  db::Database& db_;
  ExpertService& experts_;
};

}  // namespace fw::experts
