#pragma once
// Quality reports: the quality library run inside every project. For each project it keeps the
// aggregated answer and its confidence per item and question (stored in item_aggregates, so
// exports carry them), the agreement per question and each expert's reliability (gold accuracy
// and the skill truth inference assigns), and it settles items under adaptive redundancy.
//
// Incremental: the service keeps each project's judgments in memory in dense form (about 16
// bytes per judgment and question) and reads only the submissions committed since its last
// pass; a pass re-runs inference over the dense set (Dawid–Skene over 1M judgments takes a
// fraction of a second) and writes only the aggregates that changed, in small write jobs so the
// work loop's writes interleave with them. A background thread refreshes the projects that got
// submissions; Refresh() does the same on demand. The same thread records the running totals
// that the projects' progress windows read, every projects::kProgressRecordSeconds
// (projects::ProjectService::RecordProgress).
//
// Aggregation per question type (docs/quality.md, "In the platform"):
//   label, preference (choice A/B/tie)  Dawid–Skene; agreement Krippendorff's alpha (nominal)
//   rating                              bias-corrected mean, rounded; alpha (interval)
//   multi_label                         per-option Dawid–Skene; alpha (nominal) over the sets
//   rubric                              each criterion on its own, named "<question>.<criterion>":
//                                       pass_fail as a label (answer true/false), points as a
//                                       rating from 0 to max_points
//   text, ranking, number               counted, not aggregated
//
// Thread safety: any thread. One pass per project at a time (a per-project lock); passes of
// different projects may run concurrently. Ownership: borrows the database and the project
// service (whose tenancy it reads lab data through), which must outlive it; owns its background
// thread (Stop() joins it).

#include <atomic>
#include <boost/json.hpp>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"
#include "db/events.h"
#include "projects/projects.h"

namespace fw::reports {

// The lab's pseudonym of an expert (implemented by the experts room).
using ReportPseudonymFn =
    std::function<Result<std::string>(std::int64_t org_id, std::int64_t expert_user_id)>;

struct ReportOptions {
  std::int64_t interval_seconds = 5;  // how often the background thread refreshes dirty projects
  int write_batch = 500;              // item aggregates per write job (a few ms of the writer)
  int read_page = 5000;               // submissions per read
};

// One stored aggregate.
struct ItemAggregate {
  std::int64_t item_id = 0;
  std::string question;
  boost::json::value answer;  // in the template's answer form for that question
  double confidence =
      0;  // posterior probability of `answer` (rating: share of judgments that agree)
  int judgments = 0;
};

// An expert's skill on a project as a pass estimated it: the probability of a correct answer
// truth inference assigns (Dawid–Skene over the label and preference questions), averaged
// over those questions weighted by the expert's answers to each.
struct ExpertSkill {
  std::int64_t expert_id = 0;
  double skill = 0;    // in [0,1]
  double answers = 0;  // the answers it rests on
};

// What one pass estimated, published after its writes (skills_estimated()).
struct SkillsEstimated {
  std::int64_t project_id = 0;
  std::int64_t org_id = 0;
  std::vector<ExpertSkill> skills;  // the experts with answers to such questions
};

struct AggregatePage {
  std::vector<ItemAggregate> aggregates;
  std::int64_t next_after = 0;  // item id to continue after; 0 on the last page
};

class ReportService {
 public:
  ReportService(db::Database& db, projects::ProjectService& projects, ReportPseudonymFn pseudonym,
                const Clock& clock, ReportOptions options = {});
  ~ReportService();
  ReportService(const ReportService&) = delete;
  ReportService& operator=(const ReportService&) = delete;

  // Starts the background thread. Stop() is idempotent and joins it.
  void Start();
  void Stop();

  // Records that `project_id` got a submission; the background thread refreshes it on its next
  // pass. Cheap and non-blocking: called from the work loop after each submit.
  void MarkDirty(std::int64_t project_id);

  // Records that an answer of `project_id` changed in place (a rework revision): the next pass
  // over the project rebuilds its state from the store, as after a restart, and rewrites what
  // changed. Cheap and non-blocking: called after the revision commits.
  void MarkRevised(std::int64_t project_id);

  // Brings the project's report up to date with every committed submission and returns it
  // (the JSON documented in docs/api.md, "Quality"). Errors: kNotFound (no such project in the
  // caller's lab); kUnavailable/kInternal from the database. A retry redoes only what is left.
  [[nodiscard]] Result<boost::json::object> Refresh(const Caller& caller, std::int64_t project_id);

  // The last stored report; computes one first when the project has none. Errors as Refresh.
  [[nodiscard]] Result<boost::json::object> Get(const Caller& caller, std::int64_t project_id);

  // Aggregates of the project's items with id > after, in item id then question order; at most
  // `limit` items' worth (1..1000). Errors: kNotFound; kInvalidArgument for a bad limit.
  [[nodiscard]] Result<AggregatePage> Items(const Caller& caller, std::int64_t project_id,
                                            std::int64_t after, int limit);

  // Runs one background pass now (tests; the thread calls the same). It also drops the
  // in-memory state of projects idle for 30 minutes (no pass, no request), whose next pass
  // rebuilds it from the store, and records the progress totals when the last record is
  // projects::kProgressRecordSeconds old (by the clock).
  void RefreshDirty();

  // Projects whose state is held in memory.
  std::size_t cached_projects();

  // Published after every pass that estimated skills, once its writes are stored, on the
  // pass's thread (the background thread, or the caller of Refresh or Get), so after-commit
  // subscribers only (the experts' standing records them). Subscribe before Start().
  db::Topic<SkillsEstimated>& skills_estimated() { return skills_estimated_; }

 private:
  struct ProjectState;
  class PassRun;  // the steps of one pass (reports.cc)
  // One pass over `project` (already loaded and, for API calls, checked against the caller).
  Result<boost::json::object> Pass(const projects::Project& project);
  std::shared_ptr<ProjectState> StateFor(std::int64_t project_id);
  void Loop();
  void RecordProgressWhenDue();

  db::Database& db_;
  projects::ProjectService& projects_;
  ReportPseudonymFn pseudonym_;
  const Clock& clock_;
  ReportOptions options_;

  std::mutex mu_;  // guards states_, dirty_, stopping_
  std::map<std::int64_t, std::shared_ptr<ProjectState>> states_;
  std::set<std::int64_t> dirty_;
  bool stopping_ = false;
  std::condition_variable cv_;
  std::thread thread_;
  std::atomic<std::int64_t> progress_recorded_at_{0};  // clock seconds; 0: never
  db::Topic<SkillsEstimated> skills_estimated_;
};

}  // namespace fw::reports
