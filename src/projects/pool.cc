#include "projects/pool.h"

#include <optional>

#include "db/query.h"

namespace fw::projects {

namespace {

// Rows 1..kJudgmentShards of a project's counters take its judgments, chosen by item id; row 0
// takes the rest.
constexpr int kJudgmentShards = 8;

// A change of a project's progress counters.
struct ProgressDelta {
  long long items = 0, complete = 0, remaining_judgments = 0, submissions = 0;
  std::optional<long long> first_submission_at;
};

void AddProgress(soci::session& s, long long project_id, long long org_id, int shard,
                 const ProgressDelta& d) {
  db::Query(s,
            "INSERT INTO project_progress (project_id, shard, org_id, items, complete, "
            "remaining_judgments, submissions, first_submission_at) VALUES (:p, :s, :o, :i, :c, "
            ":r, :n, :f) ON CONFLICT (project_id, shard) DO UPDATE SET items = "
            "project_progress.items + excluded.items, complete = project_progress.complete + "
            "excluded.complete, remaining_judgments = project_progress.remaining_judgments + "
            "excluded.remaining_judgments, submissions = project_progress.submissions + "
            "excluded.submissions, first_submission_at = CASE WHEN "
            "project_progress.first_submission_at IS NULL OR excluded.first_submission_at < "
            "project_progress.first_submission_at THEN excluded.first_submission_at ELSE "
            "project_progress.first_submission_at END")
      .Bind(project_id)
      .Bind(shard)
      .Bind(org_id)
      .Bind(d.items)
      .Bind(d.complete)
      .Bind(d.remaining_judgments)
      .Bind(d.submissions)
      .Bind(d.first_submission_at)
      .Run();
}

int Redundancy(soci::session& s, long long project_id) {
  int k = 1;
  db::Query(s, "SELECT redundancy FROM projects WHERE id = :p").Bind(project_id).One(k);
  return k;
}

}  // namespace

void TakeSlot(soci::session& s, std::int64_t item_id, int redundancy) {
  db::Query(s,
            "UPDATE items SET taken = taken + 1, is_open = CASE WHEN is_gold = 1 THEN 1 "
            "WHEN taken + 1 >= :k THEN 0 ELSE 1 END WHERE id = :i")
      .Bind(redundancy)
      .Bind(item_id)
      .Run();
}

void ReleaseSlot(soci::session& s, std::int64_t item_id) {
  db::Query(s,
            "UPDATE items SET taken = taken - 1, is_open = CASE WHEN is_gold = 1 THEN 1 "
            "WHEN settled = 1 THEN 0 WHEN taken - 1 < (SELECT redundancy FROM projects p WHERE "
            "p.id = items.project_id) THEN 1 ELSE 0 END WHERE id = :i")
      .Bind(item_id)
      .Run();
}

void RecordJudgment(soci::session& s, std::int64_t item_id, std::int64_t now) {
  long long project_id = 0, org_id = 0;
  int submitted = 0, settled = 0, gold = 0;
  db::Query(s,
            "UPDATE items SET submitted = submitted + 1 WHERE id = :i RETURNING project_id, "
            "org_id, submitted, settled, is_gold")
      .Bind(item_id)
      .One(project_id, org_id, submitted, settled, gold);
  if (gold) return;
  // Read after the item's row is held: a change of redundancy that held it first has
  // committed, so this judgment counts under its redundancy; one that comes later recounts.
  const int k = Redundancy(s, project_id);
  ProgressDelta d;
  d.submissions = 1;
  d.first_submission_at = now;
  if (!settled && submitted <= k) d.remaining_judgments = -1;
  if (!settled && submitted == k) d.complete = 1;
  AddProgress(s, project_id, org_id, 1 + static_cast<int>(item_id % kJudgmentShards), d);
}

void CountNewItems(soci::session& s, std::int64_t project_id, std::int64_t regular_items) {
  long long org_id = 0;
  int k = 1;
  db::Query(s,
            "UPDATE projects SET redundancy = redundancy WHERE id = :p RETURNING org_id, "
            "redundancy")
      .Bind(project_id)
      .One(org_id, k);
  if (regular_items == 0) return;
  ProgressDelta d;
  d.items = regular_items;
  d.remaining_judgments = regular_items * k;
  AddProgress(s, project_id, org_id, 0, d);
}

void SettleItem(soci::session& s, std::int64_t item_id) {
  long long project_id = 0, org_id = 0;
  int submitted = 0;
  if (!db::Query(s,
                 "UPDATE items SET settled = 1, is_open = 0 WHERE id = :i AND is_gold = 0 AND "
                 "settled = 0 RETURNING project_id, org_id, submitted")
           .Bind(item_id)
           .One(project_id, org_id, submitted)) {
    return;
  }
  const int k = Redundancy(s, project_id);
  if (submitted >= k) return;  // complete already
  ProgressDelta d;
  d.complete = 1;
  d.remaining_judgments = -(k - submitted);
  AddProgress(s, project_id, org_id, 0, d);
}

std::vector<std::int64_t> SettledItems(soci::session& s, std::int64_t project_id) {
  std::vector<std::int64_t> out;
  for (const auto& [id] : db::Query(s, "SELECT id FROM items WHERE project_id = :p AND settled = 1")
                              .Bind(project_id)
                              .All<long long>()) {
    out.push_back(id);
  }
  return out;
}

void RecomputePool(soci::session& s, std::int64_t project_id, int redundancy, bool unsettle) {
  const auto pid = project_id;
  if (unsettle) {
    db::Query(s, "UPDATE items SET settled = 0 WHERE project_id = :p AND settled = 1")
        .Bind(pid)
        .Run();
  }
  db::Query(s,
            "UPDATE items SET is_open = CASE WHEN settled = 0 AND taken < :k THEN 1 ELSE 0 END "
            "WHERE project_id = :p AND is_gold = 0")
      .Bind(redundancy)
      .Bind(pid)
      .Run();
  RecountProgress(s, project_id, false);
}

void RecountProgress(soci::session& s, std::int64_t project_id, bool judgments) {
  const long long pid = project_id;
  long long org_id = 0;
  int k = 1;
  db::Query(s, "SELECT org_id, redundancy FROM projects WHERE id = :p").Bind(pid).One(org_id, k);
  ProgressDelta d;
  db::Query(s,
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN settled = 1 OR submitted >= :k THEN 1 ELSE "
            "0 END), 0), COALESCE(SUM(CASE WHEN settled = 1 OR submitted >= :k2 THEN 0 ELSE :k3 "
            "- submitted END), 0) FROM items WHERE project_id = :p AND is_gold = 0")
      .Bind(k)
      .Bind(k)
      .Bind(k)
      .Bind(pid)
      .One(d.items, d.complete, d.remaining_judgments);
  if (judgments) {
    db::Query(s,
              "UPDATE project_progress SET items = 0, complete = 0, remaining_judgments = 0, "
              "submissions = 0, first_submission_at = NULL WHERE project_id = :p")
        .Bind(pid)
        .Run();
    db::Query(s,
              "SELECT COUNT(*), MIN(submitted_at) FROM submissions WHERE project_id = :p AND "
              "is_gold = 0")
        .Bind(pid)
        .One(d.submissions, d.first_submission_at);
  } else {
    db::Query(s,
              "UPDATE project_progress SET items = 0, complete = 0, remaining_judgments = 0 "
              "WHERE project_id = :p")
        .Bind(pid)
        .Run();
  }
  AddProgress(s, pid, org_id, 0, d);
}

std::int64_t OpenItemCount(soci::session& s, std::int64_t project_id) {
  long long open = 0;
  db::Query(s, "SELECT COUNT(*) FROM items WHERE project_id = :p AND is_gold = 0 AND is_open = 1")
      .Bind(project_id)
      .One(open);
  return open;
}

std::int64_t OpenItemsHadBy(soci::session& s, std::int64_t project_id, std::int64_t expert_id) {
  long long had = 0;
  db::Query(s,
            "SELECT COUNT(*) FROM assignments a JOIN items i ON i.id = a.item_id WHERE "
            "a.expert_id = :e AND a.project_id = :p AND i.is_gold = 0 AND i.is_open = 1")
      .Bind(expert_id)
      .Bind(project_id)
      .One(had);
  return had;
}

std::optional<PickedItem> PickOpenItem(soci::session& s, bool postgres, std::int64_t project_id,
                                       bool gold, std::int64_t expert_id) {
  // Both texts are constants, so each is prepared once per connection (db::Query's cache).
  static constexpr const char* kPick =
      "SELECT i.id, i.payload FROM items i WHERE i.project_id = :p AND i.is_gold = :g AND "
      "i.is_open = 1 AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND "
      "a.expert_id = :e) ORDER BY i.priority DESC, i.id LIMIT 1";
  static constexpr const char* kPickLocked =
      "SELECT i.id, i.payload FROM items i WHERE i.project_id = :p AND i.is_gold = :g AND "
      "i.is_open = 1 AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND "
      "a.expert_id = :e) ORDER BY i.priority DESC, i.id LIMIT 1 FOR UPDATE OF i SKIP LOCKED";
  long long id = 0;
  PickedItem picked;
  if (!db::Query(s, postgres ? kPickLocked : kPick)
           .Bind(project_id)
           .Bind(gold ? 1 : 0)
           .Bind(expert_id)
           .One(id, picked.payload)) {
    return std::nullopt;
  }
  picked.id = id;
  return picked;
}

void ReplaceGates(soci::session& s, std::int64_t project_id,
                  const std::vector<GatedExpert>& experts) {
  const auto pid = project_id;
  db::Query(s, "DELETE FROM expert_gates WHERE project_id = :p").Bind(pid).Run();
  for (const GatedExpert& e : experts) {
    db::Query(s,
              "INSERT INTO expert_gates (project_id, expert_id, information, judgments) "
              "VALUES (:p, :e, :i, :j)")
        .Bind(pid)
        .Bind(e.expert_id)
        .Bind(e.information)
        .Bind(e.judgments)
        .Run();
  }
}

std::vector<std::int64_t> GatedProjects(soci::session& s, std::int64_t expert_id) {
  std::vector<std::int64_t> out;
  for (const auto& [pid] :
       db::Query(s, "SELECT project_id FROM expert_gates WHERE expert_id = :e ORDER BY project_id")
           .Bind(expert_id)
           .All<long long>()) {
    out.push_back(pid);
  }
  return out;
}

}  // namespace fw::projects
