#pragma once
// Eligibility: whether an expert may work on a project, and if not, why not. The one owner of
// that rule: routing asks it which projects an expert may take work from (fast: one read
// transaction for the expert's standing and the active projects), the work loop asks it
// whether a running lease still stands, and a refusal names the unmet requirement (for a 403
// and for the expert's screen).
//
// A project requires (projects/requirements.h): to be active; that the lab has not excluded
// the expert, by name or through an affiliation with a competitor it names; that the expert
// is not paused on it (experts/standings.h); a current qualification in its domain (or a
// sub-field) at its level, from an exam with at least its minimum score when it sets one;
// a verified, unexpired credential of each kind it names; each of its languages in the
// expert's profile; the current version of its terms accepted; and adaptive redundancy's
// gate (projects/pool.h) not closed to the expert.
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

// A requirement of a project that an expert does not meet.
struct Unmet {
  // Machine-readable, in the order they are checked: "project_inactive" (paused or
  // archived), "excluded" (by the lab), "conflict_of_interest" (an affiliation with a
  // competitor the lab names), "paused" (below the project's standing thresholds),
  // "not_qualified", "qualification_expired", "exam_score", "credential_missing",
  // "language_missing", "terms_not_accepted", "gated" (adaptive redundancy's gate).
  std::string reason;
  std::string message;  // for the expert: what is missing, in words
  // Whether it also ends the expert's running leases on the project: a lost or expired
  // qualification, an exclusion, a conflict, a pause or an archived project does; the others
  // only stop new work.
  bool ends_leases = false;
  // The error a request for the project's work answers with: kConflict for
  // "project_inactive" and "gated", kPermissionDenied for the others; the reason is its code.
  Error ToError() const;
  // Whether the expert can meet it by acting (an exam, a credential, the profile, the terms)
  // or by an operator's reinstatement: what "projects I could unlock" lists.
  bool Unlockable() const;
};

// A verified, unexpired credential, as eligibility sees it.
struct HeldCredential {
  std::string kind;
  std::string domain;  // "" when it names none
  std::string parent;  // the domain's own domain when it is a sub-field, else ""
};

// An affiliation current at the standing's time.
struct HeldAffiliation {
  std::string organisation;      // as the expert wrote it
  std::string organisation_key;  // projects::OrganisationKey
};

// What an expert brings to eligibility, read once.
struct Standing {
  std::int64_t expert_id = 0;
  UnixSeconds now = 0;  // when it was read: what expires is judged at this time
  std::vector<Qualification> qualifications;
  std::vector<std::int64_t> gated_projects;         // ascending
  std::vector<HeldCredential> credentials;          // verified and unexpired
  std::vector<std::string> languages;               // canonical tags from the profile
  std::vector<HeldAffiliation> affiliations;        // current ones
  std::vector<std::pair<std::int64_t, int>> terms;  // project -> latest accepted version; ascending
  std::vector<std::int64_t> excluded_projects;      // ascending
  std::vector<std::pair<std::int64_t, std::string>> paused;  // project -> reason; ascending
};

// Every requirement of the project the expert does not meet, in the order above (empty when
// they may take new work from it).
std::vector<Unmet> UnmetRequirements(const Standing& standing,
                                     const projects::Requirements& project);

// Why the expert may take no new work from the project (the first unmet requirement); nullopt
// when they may.
std::optional<Unmet> WhyNot(const Standing& standing, const projects::Requirements& project);

// Why a running lease of the expert on the project no longer stands (the first unmet
// requirement with ends_leases); nullopt when it stands. A paused project, a gate, new terms
// or a requirement the lab added let it finish.
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

  // The part of the standing a running lease rests on (LeaseLapsed): everything but
  // gated_projects, which stays empty. Saves the gate read on the heartbeat and submit paths.
  // As StandingOf otherwise.
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

  // The active projects the expert could unlock: those whose unmet requirements are all
  // Unlockable (an expert excluded from a project or in conflict with it never sees it), each
  // with them, in id order. Errors: database failures only.
  struct Locked {
    projects::Requirements project;
    std::vector<Unmet> unmet;
  };
  [[nodiscard]] Result<std::vector<Locked>> LockedProjects(std::int64_t expert_id);

 private:
  db::Database& db_;
  ExpertService& experts_;
};

}  // namespace fw::experts
