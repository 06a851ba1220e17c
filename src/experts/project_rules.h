#pragma once
// Two project requirements that people act on: the terms an expert accepts (the current
// version, before the project's first task and again when the lab changes them) and the
// experts a lab excludes from its project by pseudonym. Eligibility (experts/eligibility.h)
// reads what these write. Thread safety: any thread; each call is one transaction. Borrows
// the database, the expert service (pseudonyms), eligibility and the projects room, which
// must outlive it.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"
#include "experts/eligibility.h"
#include "experts/experts.h"
#include "projects/projects.h"
#include "projects/requirements.h"

namespace fw::experts {

// Called inside the transaction that excludes an expert from a project, with the expert's id,
// so the leases the exclusion takes the grounds of end with it (the app wires the work room's
// EndIneligibleLeases). An error rolls the exclusion back.
using LeaseCheck = std::function<Status(soci::session&, std::int64_t expert_id)>;

struct TermsView {
  projects::Terms terms;
  std::optional<UnixSeconds> accepted_at;  // when the expert accepted this version
};

struct Exclusion {
  std::string pseudonym;  // the lab's pseudonym of the expert
  UnixSeconds created_at = 0;
};

class ProjectRules {
 public:
  ProjectRules(db::Database& db, const Clock& clock, ExpertService& experts,
               Eligibility& eligibility, projects::ProjectService& projects);

  void SetLeaseCheck(LeaseCheck check) { lease_check_ = std::move(check); }

  // The current terms of an active project the expert may see (not excluded from it, not in
  // conflict with it), and whether they accepted them. Errors: kNotFound (no such project,
  // one they may not see, or one without terms).
  [[nodiscard]] Result<TermsView> Terms(const Caller& expert, std::int64_t project_id);

  // Records that the expert accepts version `version` of the project's terms; accepting again
  // keeps the first time. Errors: as Terms; kConflict "terms_changed" when `version` is not
  // the current one (the lab changed them since the expert read them).
  [[nodiscard]] Result<TermsView> AcceptTerms(const Caller& expert, std::int64_t project_id,
                                              int version);

  // The experts the lab excluded from its project, newest first. Errors: kNotFound (not a
  // project of the caller's lab).
  [[nodiscard]] Result<std::vector<Exclusion>> Exclusions(const Caller& lab,
                                                          std::int64_t project_id);

  // Excludes the expert the lab knows as `pseudonym` from its project and ends their leases
  // there; excluding again keeps the first time. Errors: kNotFound (not a project of the
  // caller's lab; or no expert has that pseudonym for the lab: field "pseudonym").
  [[nodiscard]] Result<Exclusion> Exclude(const Caller& lab, std::int64_t project_id,
                                          std::string_view pseudonym);

  // Lets the expert back. Errors: kNotFound (no such project of the lab, or no such
  // exclusion: field "pseudonym").
  [[nodiscard]] Status Readmit(const Caller& lab, std::int64_t project_id,
                               std::string_view pseudonym);

 private:
  // The project's terms if the expert may see the project, inside `s`.
  Result<projects::Terms> VisibleTerms(soci::session& s, std::int64_t expert_id,
                                       std::int64_t project_id);
  // The expert the lab knows as `pseudonym`: one keyed hash per expert, so a rare call.
  Result<std::int64_t> ExpertByPseudonym(std::int64_t org_id, std::string_view pseudonym);

  db::Database& db_;
  const Clock& clock_;
  ExpertService& experts_;
  Eligibility& eligibility_;
  projects::ProjectService& projects_;
  LeaseCheck lease_check_;
};

}  // namespace fw::experts
