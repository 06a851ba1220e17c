#pragma once
// Projects, their versioned templates and guidelines, and their items (streamed JSONL import).
// Every call that reads or writes a lab's data takes the Caller and filters by its org in SQL:
// another lab's ids are kNotFound. Thread safety: any thread; each call is one transaction (an
// import is one transaction for its whole body). Owns nothing but a cache of immutable
// template versions.

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"
#include "projects/expert_requirements.h"
#include "projects/progress.h"
#include "projects/template.h"
#include "tenancy/tenancy.h"

namespace fw::projects {

// What a status means for the work loop (docs/api.md, "When a lease ends early"):
// kActive hands out items; kPaused hands out no new leases, while running leases may still be
// heartbeaten and submitted; kArchived hands out none and ends the running ones (the items go
// back to the pool, so a project made active again routes them afresh).
enum class ProjectStatus { kActive, kPaused, kArchived };
std::string_view ProjectStatusName(ProjectStatus s);
// The status a stored name stands for ("active", "paused", "archived"; anything else: active).
ProjectStatus ParseProjectStatus(std::string_view name);

// Adaptive redundancy: an item stops getting judgments once its aggregated answer to the
// project's first label or preference question reaches `threshold` with at least `min`
// judgments, or (with `change`) once its remaining judgments would change that answer with
// probability below `change` (the quality room settles it); `redundancy` is then the most an
// item gets. With `gate`, an expert whose answers to that question carry less than `gate` of a
// perfect expert's information gets no more of the project's items (quality::GatedWorkers).
struct Adaptive {
  double threshold = 0;  // in (0.5, 1]; 0 means off
  int min = 2;           // >= 1 and <= redundancy
  double change = 0;     // in [0, 1); 0: off
  double gate = 0;       // in [0, 1); 0: off
  bool enabled() const { return threshold > 0; }
  friend bool operator==(const Adaptive&, const Adaptive&) = default;
};

struct Project {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::string name;
  std::string description;
  std::string preset;
  std::shared_ptr<const Template> tmpl;  // the current version
  int template_version = 1;
  std::string guidelines;  // the current version's (markdown with LaTeX math)
  std::string domain;      // "" when any expert may work on it
  int min_level = 0;
  int redundancy = 1;
  double gold_rate = 0;
  std::int64_t lease_seconds = 1800;
  Adaptive adaptive;
  ExpertRequirements requirements;
  ProjectStatus status = ProjectStatus::kActive;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct ProjectCounts {
  std::int64_t items = 0;  // non-gold items
  std::int64_t gold_items = 0;
  std::int64_t complete_items = 0;  // non-gold items with `redundancy` submissions
  std::int64_t submissions = 0;
};

struct NewProject {
  std::string name;
  std::string description;
  std::string preset;                      // one of PresetNames(), or ""
  std::optional<boost::json::value> tmpl;  // required when preset is ""
  std::string guidelines;                  // at most kMaxGuidelinesBytes
  std::string domain;                      // a known domain, or "": every expert
  int min_level = 0;                       // 0 when domain is ""
  int redundancy = 1;
  double gold_rate = 0;
  std::optional<std::int64_t> lease_seconds;  // default: ProjectOptions::default_lease_seconds
  Adaptive adaptive;
  RequirementsPatch requirements;  // applied to the defaults
};

struct ProjectPatch {
  std::optional<std::string> name, description;
  std::optional<int> redundancy;
  std::optional<double> gold_rate;
  std::optional<std::int64_t> lease_seconds;
  std::optional<ProjectStatus> status;
  std::optional<boost::json::value> tmpl;  // a new template version
  std::optional<std::string> guidelines;   // a new template version (with tmpl: the same one)
  std::optional<Adaptive> adaptive;        // {0, ...} turns it off
  RequirementsPatch requirements;
};

struct Item {
  std::int64_t id = 0;
  std::int64_t project_id = 0;
  std::string external_id;  // "" when none
  boost::json::value data;
  int priority = 0;
  std::optional<boost::json::value> gold;
  int taken = 0;
  int submitted = 0;
  std::int64_t created_at = 0;
};

struct ItemPage {
  std::vector<Item> items;
  std::int64_t next_after = 0;  // 0 when this is the last page
};

struct ImportSummary {
  std::int64_t import_id = 0;
  std::int64_t items = 0;       // new regular items
  std::int64_t gold_items = 0;  // new gold items
  std::int64_t existing = 0;    // lines whose external_id the project held already: not stored
};

// The most guidelines a template version may carry, in bytes of UTF-8.
inline constexpr std::size_t kMaxGuidelinesBytes = 64 * 1024;

struct ProjectOptions {
  std::int64_t default_lease_seconds = 1800;
  std::int64_t min_lease_seconds = 60;
  std::string spool_dir;  // where imports are staged while being checked
  int max_reported_errors = 100;
};

// Called inside the transaction that archives a project (a patch setting status "archived"),
// with its id. What it writes commits with the archiving; an error rolls the patch back and is
// returned. The app sets it so the work loop ends the project's leases (projects/ does not
// depend on work/).
using ArchiveListener = std::function<Status(soci::session& s, std::int64_t project_id)>;

// Whether `name` is a known expert domain. The app sets it to the experts room's domain table
// (projects/ does not depend on experts/). Errors: database failures only.
using DomainCheck = std::function<Result<bool>(std::string_view name)>;

// Pulls the next bytes of an import body into `buf`; returns 0 at the end.
using ByteSource = std::function<Result<std::size_t>(char* buf, std::size_t n)>;

// Checks a project setting; shared by create and patch. Errors: kInvalidArgument naming it.
// `min_lease_seconds` is the smallest lease allowed (60 unless the instance lowers it for tests).
[[nodiscard]] Status ValidateSettings(int redundancy, double gold_rate, std::int64_t lease_seconds,
                                      int min_level, std::int64_t min_lease_seconds = 60);
// Checks adaptive redundancy against the project's redundancy. Errors: kInvalidArgument naming
// adaptive.threshold, adaptive.min, adaptive.change or adaptive.gate.
[[nodiscard]] Status ValidateAdaptive(const Adaptive& adaptive, int redundancy);

// The question adaptive redundancy watches: the template's first label or preference question;
// nullptr when there is none (then a project cannot turn adaptive redundancy on).
const Question* AdaptiveQuestion(const Template& tmpl);

class ProjectService {
 public:
  // Borrows `db`, `clock` and `tenancy`, which must outlive it.
  ProjectService(db::Database& db, const Clock& clock, const tenancy::Tenancy& tenancy,
                 ProjectOptions options);

  // Creates a project in the caller's lab, its template and guidelines as version 1.
  // Errors: kInvalidArgument (bad setting; "domain" not known to the domain check;
  // "min_level" above 0 without a domain; "guidelines" over kMaxGuidelinesBytes; unknown
  // preset, neither preset nor template, template problems one detail each), the domain
  // check's errors. Nothing is stored on an error; a retry creates another project.
  [[nodiscard]] Result<Project> Create(const Caller& caller, NewProject req);

  // The caller's lab's projects, newest first.
  [[nodiscard]] Result<std::vector<Project>> List(const Caller& caller);

  // Errors: kNotFound (no such project in the caller's lab).
  [[nodiscard]] Result<Project> Get(const Caller& caller, std::int64_t project_id);

  // Applies a patch. A template or guidelines (or both) make a new template version n+1,
  // carrying forward whichever of the two the patch leaves out; running assignments keep
  // the version they were leased with. Setting status "archived" ends the project's running
  // leases in the same transaction (through the archive listener).
  // Errors: kNotFound, kInvalidArgument (as Create), the archive listener's errors (nothing
  // changed).
  [[nodiscard]] Result<Project> Update(const Caller& caller, std::int64_t project_id,
                                       ProjectPatch patch);

  // Errors: kNotFound.
  [[nodiscard]] Result<ProjectCounts> Counts(const Caller& caller, std::int64_t project_id);

  // The progress (progress.h) of each of the caller's lab's projects, by project id, as of
  // now. Reads a few rows per project whatever its size. Errors: database failures.
  [[nodiscard]] Result<std::map<std::int64_t, Progress>> ListProgress(const Caller& caller);

  // One project's progress, as ListProgress. Errors: kNotFound.
  [[nodiscard]] Result<Progress> ProjectProgress(const Caller& caller, std::int64_t project_id);

  // Records, at the clock's time, the running total of judgments of every project (all labs)
  // whose total changed since its last record, and drops the records no window needs any
  // more. For a background thread, every kProgressRecordSeconds: the windows of Progress are
  // as exact as the records are frequent. Returns how many it recorded; a retry records
  // nothing new. Errors: database failures (kUnavailable: retry).
  [[nodiscard]] Result<int> RecordProgress();

  // Imports JSONL items (format in docs/api.md). The body is read once, checked line by line
  // while it is staged in a spool file (flat memory), and stored in one transaction only when
  // every line is good. A line whose external_id the project already holds is not stored
  // (counted in `existing`), so a retried upload stores nothing twice; lines without an
  // external_id are always new items. Errors: kNotFound (project), kUnprocessable (bad
  // lines: one detail per bad line, "line N", at most max_reported_errors; a line repeating
  // the external_id of an earlier line of the same body is one, code
  // "duplicate_external_id"; nothing stored), kInvalidArgument (empty import), the source's
  // own errors.
  [[nodiscard]] Result<ImportSummary> Import(const Caller& caller, std::int64_t project_id,
                                             const ByteSource& source);

  // Items in import order after `after` (0: from the start). Errors: kNotFound.
  [[nodiscard]] Result<ItemPage> ListItems(const Caller& caller, std::int64_t project_id, int limit,
                                           std::int64_t after);

  // Errors: kNotFound (no such item in that project of the caller's lab).
  [[nodiscard]] Result<Item> GetItem(const Caller& caller, std::int64_t project_id,
                                     std::int64_t item_id);

  // A template version of a project (immutable, cached). For the work and delivery rooms,
  // which have already checked the caller's right to the project. Errors: kNotFound.
  [[nodiscard]] Result<std::shared_ptr<const Template>> TemplateVersion(std::int64_t project_id,
                                                                        int version);

  // The guidelines of a template version ("" when it has none), cached with the template.
  // For the work room, as TemplateVersion. Errors: kNotFound.
  [[nodiscard]] Result<std::shared_ptr<const std::string>> Guidelines(std::int64_t project_id,
                                                                      int version);

  // Reads a project row without a tenant filter, inside a caller's transaction. For the
  // work room's routing, which selects projects by qualification, not by lab.
  // Errors: kNotFound.
  [[nodiscard]] Result<Project> LoadInTransaction(soci::session& s, std::int64_t project_id);

  // What lab data passes through (lab-scoped SQL, the payload codec); for the rooms that
  // build on projects.
  const tenancy::Tenancy& tenancy() const { return tenancy_; }

  // Set once, before the service is used; without one archiving changes only the status.
  void SetArchiveListener(ArchiveListener listener) { archive_listener_ = std::move(listener); }

  // Set once, before the service is used; without one any lowercase name of letters, digits
  // and _ passes as a domain.
  void SetDomainCheck(DomainCheck check) { domain_check_ = std::move(check); }

 private:
  // One template version as cached: both parts immutable.
  struct CachedVersion {
    std::shared_ptr<const Template> tmpl;
    std::shared_ptr<const std::string> guidelines;
  };
  Result<CachedVersion> Version(std::int64_t project_id, int version);
  // kInvalidArgument naming "domain" or "min_level" (see Create), or the domain check's error.
  Status CheckDomain(const std::string& domain, int min_level);

  db::Database& db_;
  const Clock& clock_;
  const tenancy::Tenancy& tenancy_;
  ProjectOptions options_;
  std::mutex cache_mu_;  // guards templates_
  std::map<std::pair<std::int64_t, int>, CachedVersion> templates_;
  ArchiveListener archive_listener_;
  DomainCheck domain_check_;
};

}  // namespace fw::projects
