#pragma once
// A project's progress for the lab console: how many of its regular items are complete, in
// progress and remaining, how many judgments came in lately, and when the rest will be in at
// that pace. Gold items are left out: they check experts and never complete.
//
// Shown with every project of the list, so it must not read a project's items: on a million
// items that is a scan. The figures come from three places, none of which grows with the
// project's size:
//   - counters kept by the item pool (pool.h, `project_progress`) in the same transaction as
//     the events that change them: an import adds items and the judgments they want, a
//     submission adds a judgment (and completes its item at `redundancy`), settling completes
//     an item, a change of redundancy recounts. So they are exact and never stale. They are
//     split over a few rows per project, so concurrent submits do not queue on one row lock.
//   - active leases, counted when asked from the partial index of active leases (a lease is a
//     handful of rows per working expert, and expires by time, which a counter cannot follow).
//   - the running total of judgments as recorded about once a minute by the background thread
//     of the reports room (ProjectService::RecordProgress, `progress_snapshots`): the judgments
//     of the last hour (day) are the total now less the total recorded at or before an hour
//     (day) ago. Counting them from the submissions instead would read every submission of
//     the window, which grows with the pace; the records cost two indexed reads per project.
// Counters were chosen over a figure refreshed in the background because a refresh that is
// cheap must itself be incremental, which is what counters are, without the staleness. The
// figures are as of the request; only the windows' start is that of the latest record, so a
// window reaches up to about a minute further back than its name (an hour or a day).

#include <cstdint>
#include <optional>

#include "base/clock.h"

namespace fw::projects {

// What a project's figures are computed from, as the store holds them.
struct ProgressInputs {
  std::int64_t items = 0;                // regular items
  std::int64_t complete = 0;             // settled, or with `redundancy` judgments
  std::int64_t remaining_judgments = 0;  // over incomplete items: redundancy - judgments
  std::int64_t submissions = 0;          // judgments of regular items
  UnixSeconds first_submission_at = 0;   // 0: none yet
  std::int64_t in_progress = 0;          // active leases on regular items, not yet expired
  // The running total of judgments as last recorded at or before an hour (a day) ago; 0 when
  // nothing was recorded by then.
  std::int64_t submissions_hour_ago = 0;
  std::int64_t submissions_day_ago = 0;
};

// The figures (docs/api.md, "Progress"); the counts as in ProgressInputs.
struct Progress {
  std::int64_t items = 0, complete = 0, in_progress = 0;
  std::int64_t remaining = 0;  // items - complete
  std::int64_t remaining_judgments = 0, submissions = 0;
  // Judgments since the running total last recorded at or before an hour (a day) ago.
  std::int64_t submissions_last_hour = 0, submissions_last_day = 0;
  // Judgments per hour over the last 24 h, or since the first judgment when that is later
  // (at least a minute); nullopt before the first judgment.
  std::optional<double> throughput_per_hour;
  // Now + remaining_judgments / throughput; nullopt when the throughput is 0 or unknown,
  // nothing remains, or it would fall after the year 9999.
  std::optional<UnixSeconds> estimated_completion;
  UnixSeconds as_of = 0;  // when the figures were computed
};

// How often the background thread records the running totals, in seconds.
inline constexpr std::int64_t kProgressRecordSeconds = 60;

// The figures for `in` at `now`: pure arithmetic. throughput_per_hour is rounded to two
// decimals; the estimate uses the exact rate and is rounded up to a whole second.
Progress ComputeProgress(const ProgressInputs& in, UnixSeconds now);

}  // namespace fw::projects
