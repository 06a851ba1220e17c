#pragma once
// The item pool: an item's routing state and the one place that spells its rule.
//
// Each item counts the slots `taken` (active leases plus submissions) and carries `settled`
// (closed early by adaptive redundancy) and `is_open`, which the partial index `items_open`
// routes by. The rule: a gold item is always open; any other item is open while it is not
// settled and taken < the project's redundancy. Every change of those columns goes through
// the functions below, so the rule is written here only. Beside it lives the project's gate:
// the experts adaptive redundancy turned away from a project (`expert_gates`), written by the
// reports room and read when the experts room decides eligibility.
//
// The pool also keeps each project's progress counters (`project_progress`, read by
// projects/progress.h): its regular items, how many are complete (settled, or with
// `redundancy` judgments), the judgments still wanted (per incomplete item, redundancy minus
// its judgments), and its judgments with the time of the first. Every function below that
// changes what they count changes them in the same statement sequence, inside the caller's
// transaction, so they are exact. A project's counters are split over rows (shards): a
// judgment adds to the row its item's id picks, so concurrent submits of one project do not
// all wait for one row's lock on PostgreSQL; imports, settling and recounts write row 0.
// Gold items are not counted: they check experts and never complete.
//
// The work room takes and releases slots, picks items and records judgments; the reports room
// settles items and rewrites gates; the projects room counts imported items and recomputes
// the pool when a project's redundancy or adaptive setting changes. Each function runs inside
// the caller's transaction `s` (so its change commits or rolls back with the caller's), uses
// prepared statements (db::Query) and throws SOCI's exceptions like any statement there.
// Thread safety: as the session.

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fw::projects {

// One slot of the item taken by a new lease; closes the item when it reaches `redundancy`.
void TakeSlot(soci::session& s, std::int64_t item_id, int redundancy);

// One slot of the item given back (a lease expired or was revoked, or a skip); reopens the
// item unless it is settled.
void ReleaseSlot(soci::session& s, std::int64_t item_id);

// One judgment of the item submitted at `now`: counts it on the item (`submitted`) and in its
// project's progress.
void RecordJudgment(soci::session& s, std::int64_t item_id, std::int64_t now);

// Counts `regular_items` new regular items of the project in its progress, inside the
// transaction that inserts them. It writes the project's row first, so a change of redundancy
// running at the same time is wholly before it (these items count under the new redundancy)
// or after it (its recount sees them).
void CountNewItems(soci::session& s, std::int64_t project_id, std::int64_t regular_items);

// Closes a non-gold item for good: adaptive redundancy has settled its answer, so it is
// complete. A no-op for a gold item. A retry changes nothing.
void SettleItem(soci::session& s, std::int64_t item_id);

// The project's settled item ids, in no particular order.
std::vector<std::int64_t> SettledItems(soci::session& s, std::int64_t project_id);

// Re-applies the rule to every non-gold item of the project after its redundancy changed to
// `redundancy`; with `unsettle` (adaptive redundancy was turned off) settled items first
// become unsettled, so each needs `redundancy` judgments again. Recounts the progress of its
// items (RecountProgress without judgments).
void RecomputePool(soci::session& s, std::int64_t project_id, int redundancy, bool unsettle);

// Recounts the project's progress counters from its items (how many, complete, judgments
// still wanted) and, with `judgments`, from its submissions (how many, the first one's time),
// replacing what the counters held. Reads every item of the project (and every submission):
// for a change of redundancy and for rows written in bulk without the functions above.
void RecountProgress(soci::session& s, std::int64_t project_id, bool judgments);

// How many non-gold items of the project are open for routing (scans the open-item index).
std::int64_t OpenItemCount(soci::session& s, std::int64_t project_id);

// How many of those open items the expert has had already (leased, answered, skipped or let
// expire): they are never routed to the expert again, so the expert's own open count is
// OpenItemCount minus this.
std::int64_t OpenItemsHadBy(soci::session& s, std::int64_t project_id, std::int64_t expert_id);

struct PickedItem {
  std::int64_t id = 0;
  std::string payload;  // as stored (sealed by the payload codec)
};

// The open item of the project (gold or not, as `gold` says) that the expert has not had, of
// highest priority then lowest id; nullopt when there is none. On PostgreSQL the row is
// locked, skipping rows other transactions hold, so concurrent picks take different items.
std::optional<PickedItem> PickOpenItem(soci::session& s, bool postgres, std::int64_t project_id,
                                       bool gold, std::int64_t expert_id);

// An expert the gate turns away from a project, with the figures the pass found.
struct GatedExpert {
  std::int64_t expert_id = 0;
  double information = 0;
  std::int64_t judgments = 0;
};

// Replaces the project's gated experts with `experts` (empty: nobody is gated).
void ReplaceGates(soci::session& s, std::int64_t project_id,
                  const std::vector<GatedExpert>& experts);

// The projects whose gate turns the expert away, in id order.
std::vector<std::int64_t> GatedProjects(soci::session& s, std::int64_t expert_id);

}  // namespace fw::projects
