#include "projects/progress.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <vector>

#include "db/query.h"
#include "projects/projects.h"

namespace fw::projects {

namespace {

constexpr std::int64_t kHourSeconds = 3600;
constexpr std::int64_t kDaySeconds = 24 * kHourSeconds;
// A rate over less than this would read a first burst of judgments as a huge pace.
constexpr std::int64_t kMinRateSeconds = 60;
// 9999-12-31T23:59:59Z, the last time RFC 3339 can write.
constexpr UnixSeconds kLastWritableTime = 253402300799;

}  // namespace

Progress ComputeProgress(const ProgressInputs& in, UnixSeconds now) {
  Progress p;
  p.items = in.items;
  p.complete = in.complete;
  p.in_progress = in.in_progress;
  p.remaining = std::max<std::int64_t>(0, in.items - in.complete);
  p.remaining_judgments = std::max<std::int64_t>(0, in.remaining_judgments);
  p.submissions = in.submissions;
  p.submissions_last_hour =
      std::clamp<std::int64_t>(in.submissions - in.submissions_hour_ago, 0, in.submissions);
  p.submissions_last_day =
      std::clamp<std::int64_t>(in.submissions - in.submissions_day_ago, 0, in.submissions);
  p.as_of = now;
  if (in.submissions == 0 || in.first_submission_at == 0) return p;
  const std::int64_t span =
      std::clamp<std::int64_t>(now - in.first_submission_at, kMinRateSeconds, kDaySeconds);
  const double per_hour = static_cast<double>(p.submissions_last_day) *
                          static_cast<double>(kHourSeconds) / static_cast<double>(span);
  p.throughput_per_hour = std::round(per_hour * 100) / 100;
  if (p.submissions_last_day > 0 && p.remaining > 0 && p.remaining_judgments > 0) {
    // remaining / (last_day / span), in integers (at most 5e10 judgments x 86400 s), rounded up.
    const std::int64_t seconds =
        (p.remaining_judgments * span + p.submissions_last_day - 1) / p.submissions_last_day;
    if (seconds <= kLastWritableTime - now) p.estimated_completion = now + seconds;
  }
  return p;
}

namespace {

// A project's counters summed over their rows, per project of the lab (LabScope's :org).
#define FW_PROGRESS_COUNTERS                                                            \
  "SELECT p.id, CAST(COALESCE(SUM(pp.items), 0) AS BIGINT), "                           \
  "CAST(COALESCE(SUM(pp.complete), 0) AS BIGINT), "                                     \
  "CAST(COALESCE(SUM(pp.remaining_judgments), 0) AS BIGINT), "                          \
  "CAST(COALESCE(SUM(pp.submissions), 0) AS BIGINT), MIN(pp.first_submission_at) FROM " \
  "projects p LEFT JOIN project_progress pp ON pp.project_id = p.id WHERE p.org_id = :org "

// The running total of the project's judgments as last recorded at or before `at`; 0 when
// none was recorded by then.
std::int64_t RecordedTotal(const tenancy::LabScope& lab, long long project_id, UnixSeconds at) {
  long long total = 0;
  lab.Query(
         "SELECT submissions FROM progress_snapshots WHERE org_id = :org AND project_id = :p AND "
         "at <= :t ORDER BY at DESC LIMIT 1")
      .Bind(project_id)
      .Bind(at)
      .One(total);
  return total;
}

// The progress of the lab's projects (only `project_id`'s when given), read in one snapshot.
std::map<std::int64_t, Progress> ReadProgress(const tenancy::LabScope& lab,
                                              std::optional<std::int64_t> project_id,
                                              UnixSeconds now) {
  std::map<std::int64_t, ProgressInputs> inputs;
  long long id = 0;
  ProgressInputs in;
  std::optional<long long> first;
  auto add = [&] {
    in.first_submission_at = first.value_or(0);
    inputs[id] = in;
    return true;
  };
  if (project_id) {
    lab.Query(FW_PROGRESS_COUNTERS "AND p.id = :p GROUP BY p.id")
        .Bind(*project_id)
        .Each(add, id, in.items, in.complete, in.remaining_judgments, in.submissions, first);
  } else {
    lab.Query(FW_PROGRESS_COUNTERS "GROUP BY p.id")
        .Each(add, id, in.items, in.complete, in.remaining_judgments, in.submissions, first);
  }
  long long leases = 0;
  lab.Query(
         "SELECT project_id, COUNT(*) FROM assignments WHERE org_id = :org AND state = 'active' "
         "AND lease_expires_at >= :n AND is_gold = 0 GROUP BY project_id")
      .Bind(now)
      .Each(
          [&] {
            if (auto it = inputs.find(id); it != inputs.end()) it->second.in_progress = leases;
            return true;
          },
          id, leases);
  std::map<std::int64_t, Progress> out;
  for (auto& [pid, counted] : inputs) {
    if (counted.submissions > 0) {
      counted.submissions_hour_ago = RecordedTotal(lab, pid, now - kHourSeconds);
      counted.submissions_day_ago = RecordedTotal(lab, pid, now - kDaySeconds);
    }
    out.emplace(pid, ComputeProgress(counted, now));
  }
  return out;
}

}  // namespace

Result<std::map<std::int64_t, Progress>> ProjectService::ListProgress(const Caller& caller) {
  const UnixSeconds now = clock_.Now();
  return db_.ReadSnapshot<std::map<std::int64_t, Progress>>(
      [&](soci::session& s) -> Result<std::map<std::int64_t, Progress>> {
        return ReadProgress(tenancy_.Scope(s, caller.org_id), std::nullopt, now);
      });
}

Result<Progress> ProjectService::ProjectProgress(const Caller& caller, std::int64_t project_id) {
  const UnixSeconds now = clock_.Now();
  return db_.ReadSnapshot<Progress>([&](soci::session& s) -> Result<Progress> {
    auto all = ReadProgress(tenancy_.Scope(s, caller.org_id), project_id, now);
    auto it = all.find(project_id);
    if (it == all.end()) return NotFound("no such project");
    return it->second;
  });
}

Result<int> ProjectService::RecordProgress() {
  const long long now = clock_.Now();
  // Every lab's projects at once: this is not made on one lab's behalf. Read apart from the
  // write, so the SQLite writer is held only for the records that change.
  using Total = std::tuple<long long, long long, long long, std::optional<long long>>;
  FW_TRY(auto totals,
         db_.Read<std::vector<Total>>([](soci::session& s) -> Result<std::vector<Total>> {
           return db::Query(
                      s,
                      "SELECT pp.project_id, MIN(pp.org_id), CAST(SUM(pp.submissions) AS BIGINT), "
                      "(SELECT ps.submissions FROM progress_snapshots ps WHERE ps.project_id = "
                      "pp.project_id ORDER BY ps.at DESC LIMIT 1) FROM project_progress pp GROUP "
                      "BY pp.project_id")
               .All<long long, long long, long long, std::optional<long long>>();
         }));
  return db_.Write<int>([&](soci::session& s) -> Result<int> {
    int recorded = 0;
    for (const auto& [pid, org, total, last] : totals) {
      if (last ? *last == total : total == 0) continue;
      recorded += static_cast<int>(
          db::Query(s,
                    "INSERT INTO progress_snapshots (project_id, at, org_id, submissions) VALUES "
                    "(:p, :a, :o, :n) ON CONFLICT (project_id, at) DO NOTHING")
              .Bind(pid)
              .Bind(now)
              .Bind(org)
              .Bind(total)
              .Run());
    }
    // A window looks back at most a day: of the records older than that, each project keeps
    // only its latest.
    const long long cut = now - kDaySeconds;
    db::Query(s,
              "DELETE FROM progress_snapshots WHERE at < :cut AND at < (SELECT MAX(o.at) FROM "
              "progress_snapshots o WHERE o.project_id = progress_snapshots.project_id AND o.at "
              "<= :cut2)")
        .Bind(cut)
        .Bind(cut)
        .Run();
    return recorded;
  });
}

}  // namespace fw::projects
