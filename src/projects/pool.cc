#include "projects/pool.h"

#include "db/query.h"

namespace fw::projects {

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

void SettleItem(soci::session& s, std::int64_t item_id) {
  db::Query(s, "UPDATE items SET settled = 1, is_open = 0 WHERE id = :i AND is_gold = 0")
      .Bind(item_id)
      .Run();
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
