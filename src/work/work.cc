#include "work/work.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "base/json.h"
#include "db/query.h"

namespace fw::work {

namespace json = boost::json;

std::string_view AssignmentStateName(AssignmentState s) {
  switch (s) {
    case AssignmentState::kActive:
      return "active";
    case AssignmentState::kSubmitted:
      return "submitted";
    case AssignmentState::kSkipped:
      return "skipped";
    case AssignmentState::kExpired:
      return "expired";
    case AssignmentState::kRevoked:
      return "revoked";
  }
  return "active";
}

namespace {

AssignmentState ParseState(std::string_view s) {
  if (s == "submitted") return AssignmentState::kSubmitted;
  if (s == "skipped") return AssignmentState::kSkipped;
  if (s == "expired") return AssignmentState::kExpired;
  if (s == "revoked") return AssignmentState::kRevoked;
  return AssignmentState::kActive;
}

// Gives one slot of an item back to the pool (after an expired or revoked lease, or a skip).
void ReleaseItem(soci::session& s, long long item_id) {
  db::Query(
      s,
      "UPDATE items SET taken = taken - 1, is_open = CASE WHEN is_gold = 1 THEN 1 WHEN settled = 1 "
      "THEN 0 "
      "WHEN taken - 1 < (SELECT redundancy FROM projects p WHERE p.id = items.project_id) THEN 1 "
      "ELSE 0 END WHERE id = :i")
      .Bind(item_id)
      .Run();
}

// Ends an active assignment as `state` (expired or revoked) and frees its item's slot: the one
// path by which a lease ends without a submission or a skip. Returns false when the assignment
// was no longer active (another transaction got there first).
bool EndOne(soci::session& s, long long assignment_id, long long item_id, long long now,
            AssignmentState state) {
  FW_CHECK(state == AssignmentState::kExpired || state == AssignmentState::kRevoked);
  long long changed = db::Query(s,
                                "UPDATE assignments SET state = :st, finished_at = :n "
                                "WHERE id = :id AND state = 'active'")
                          .Bind(std::string(AssignmentStateName(state)))
                          .Bind(now)
                          .Bind(assignment_id)
                          .Run();
  if (changed != 1) return false;
  ReleaseItem(s, item_id);
  return true;
}

bool ExpireOne(soci::session& s, long long assignment_id, long long item_id, long long now) {
  return EndOne(s, assignment_id, item_id, now, AssignmentState::kExpired);
}

// Revokes each active lease of `rows` (id, item id); a lease whose time ran out already is
// recorded as expired, which is what it was. Returns how many ended.
int RevokeAll(soci::session& s, const std::vector<std::tuple<long long, long long, long long>>& rows,
              long long now, WorkCounters& counters) {
  int n = 0;
  for (const auto& [id, item_id, expires] : rows) {
    bool expired = expires < now;
    if (!EndOne(s, id, item_id, now,
                expired ? AssignmentState::kExpired : AssignmentState::kRevoked)) {
      continue;
    }
    ++n;
    (expired ? counters.leases_expired : counters.leases_revoked)++;
  }
  return n;
}

bool Qualifies(const std::vector<std::pair<std::string, int>>& held, const std::string& domain,
               int min_level) {
  if (domain.empty()) return true;
  return std::any_of(held.begin(), held.end(),
                     [&](const auto& q) { return q.first == domain && q.second >= min_level; });
}

long long ReclaimExpired(soci::session& s, long long now, int limit) {
  // One row at a time: each expiry leaves the active set, so the next read finds the next
  // one, and the common case (nothing expired) is a single indexed probe.
  long long n = 0;
  long long id = 0, item_id = 0;
  for (int i = 0; i < limit; ++i) {
    bool found =
        db::Query(
            s,
            "SELECT id, item_id FROM assignments WHERE state = 'active' AND lease_expires_at < :n "
            "ORDER BY lease_expires_at LIMIT 1")
            .Bind(now)
            .One(id, item_id);
    if (!found) break;
    n += ExpireOne(s, id, item_id, now) ? 1 : 0;
  }
  return n;
}

// The state of an assignment as its owner may act on it, read inside a write transaction,
// with what its lease stands on: the project's status and qualification requirement.
struct LiveAssignment {
  long long id = 0, item_id = 0, project_id = 0, org_id = 0, leased_at = 0, expires = 0,
            last_hb = 0, active = 0, lease_seconds = 0;
  int is_gold = 0, template_version = 1, min_level = 0;
  std::string state, project_status, domain;
};

// kConflict for an assignment that can no longer be worked on. For a revoked lease the
// message names the ground that went, as far as it is still visible (`a` may be null).
Error StateConflict(AssignmentState state, const LiveAssignment* a = nullptr,
                    const std::vector<std::pair<std::string, int>>* held = nullptr) {
  switch (state) {
    case AssignmentState::kSubmitted:
      return Error(ErrorCode::kConflict, "this assignment was already submitted", {},
                   "already_submitted");
    case AssignmentState::kSkipped:
      return Error(ErrorCode::kConflict, "this assignment was skipped", {}, "skipped");
    case AssignmentState::kRevoked: {
      std::string why = "the lease was ended early";
      if (a && a->project_status == "archived") {
        why = "the project was archived";
      } else if (a && held && !Qualifies(*held, a->domain, a->min_level)) {
        why = "you no longer hold the qualification this project needs";
      }
      return Error(ErrorCode::kConflict, why + "; the item went back to the pool", {},
                   "lease_revoked");
    }
    case AssignmentState::kExpired:
    case AssignmentState::kActive:
      break;
  }
  return Error(ErrorCode::kConflict, "the lease expired; the item went back to the pool", {},
               "lease_expired");
}

Result<LiveAssignment> LoadLive(soci::session& s, long long assignment_id, long long expert_id) {
  LiveAssignment a;
  bool found =
      db::Query(s,
                "SELECT a.id, a.item_id, a.project_id, a.org_id, a.leased_at, a.lease_expires_at, "
                "a.last_heartbeat_at, a.active_seconds, p.lease_seconds, a.is_gold, "
                "a.template_version, a.state, p.status, p.domain, p.min_level "
                "FROM assignments a JOIN projects p ON p.id = a.project_id WHERE a.id = :id AND "
                "a.expert_id = :e")
          .Bind(assignment_id)
          .Bind(expert_id)
          .One(a.id, a.item_id, a.project_id, a.org_id, a.leased_at, a.expires, a.last_hb, a.active,
               a.lease_seconds, a.is_gold, a.template_version, a.state, a.project_status, a.domain,
               a.min_level);
  if (!found) return NotFound("no such assignment");
  return a;
}

// Outcome of a write job that may have to record the end of a lease and still report an
// error: the job commits the end and the caller returns `ended`.
template <typename T>
struct Outcome {
  std::optional<Error> ended;
  T value{};
};

// After an UPDATE of an active assignment touched no row: another transaction ended it first
// (on PostgreSQL, between our read and our write). Answers with what it became.
Error LostRace(soci::session& s, long long assignment_id) {
  std::string state;
  db::Query(s, "SELECT state FROM assignments WHERE id = :id").Bind(assignment_id).One(state);
  AssignmentState st = ParseState(state);
  return StateConflict(st == AssignmentState::kActive ? AssignmentState::kRevoked : st);
}

// Ends the live, active assignment `a` when its lease has run out (expired) or its grounds
// went (revoked: the project was archived, or `held` no longer covers it), and returns the
// error to answer with; nullopt when the lease stands. A paused project is no lost ground.
std::optional<Error> EndIfLapsed(soci::session& s, const LiveAssignment& a, long long now,
                                 const std::vector<std::pair<std::string, int>>& held,
                                 WorkCounters& counters) {
  AssignmentState end;
  if (a.expires < now) {
    end = AssignmentState::kExpired;
  } else if (a.project_status == "archived" || !Qualifies(held, a.domain, a.min_level)) {
    end = AssignmentState::kRevoked;
  } else {
    return std::nullopt;
  }
  if (!EndOne(s, a.id, a.item_id, now, end)) return LostRace(s, a.id);
  (end == AssignmentState::kExpired ? counters.leases_expired : counters.leases_revoked)++;
  return StateConflict(end, &a, &held);
}

bool GoldMatches(const json::value& gold, const json::value& answer) {
  if (!gold.is_object() || !answer.is_object()) return gold == answer;
  for (const auto& kv : gold.as_object()) {
    auto it = answer.as_object().find(kv.key());
    if (it == answer.as_object().end() || it->value() != kv.value()) return false;
  }
  return true;
}

}  // namespace

WorkService::WorkService(db::Database& db, const Clock& clock, projects::ProjectService& projects,
                         QualificationsFn qualifications, WorkOptions options)
    : db_(db),
      clock_(clock),
      projects_(projects),
      qualifications_(std::move(qualifications)),
      options_(options),
      rng_(options.seed ? options.seed : std::random_device{}()) {}

Result<std::vector<WorkService::Candidate>> WorkService::EligibleProjects(
    const Caller& expert, std::optional<std::int64_t> project_id) {
  FW_TRY(auto quals, qualifications_(expert.user_id, nullptr));
  auto qualifies = [&](const std::string& domain, int min_level) {
    if (domain.empty()) return true;
    for (const auto& [d, level] : quals) {
      if (d == domain && level >= min_level) return true;
    }
    return false;
  };
  return db_.Read<std::vector<Candidate>>([&](soci::session& s) -> Result<std::vector<Candidate>> {
    std::vector<Candidate> out;
    long long id = 0;
    std::string domain, status;
    int min_level = 0;
    // A project whose adaptive redundancy gate turned this expert away (expert_gates, written
    // by quality reports) is left out. The check rides on the project query: this is the hot
    // path, and a statement of its own per call would cost more than the lookup.
    long long expert_id = expert.user_id;
    if (project_id) {
      long long pid = *project_id;
      int gated = 0;
      bool found =
          db::Query(s,
                    "SELECT id, domain, min_level, status, CASE WHEN EXISTS (SELECT 1 FROM "
                    "expert_gates g WHERE g.project_id = projects.id AND g.expert_id = :e) THEN 1 "
                    "ELSE 0 END FROM projects WHERE id = :p")
              .Bind(expert_id)
              .Bind(pid)
              .One(id, domain, min_level, status, gated);
      if (!found) return NotFound("no such project");
      if (!qualifies(domain, min_level)) {
        return Fail(ErrorCode::kPermissionDenied,
                    "you do not hold the qualification this project needs", {}, "not_qualified");
      }
      if (status != "active") return Conflict("this project is not active", "project_inactive");
      if (!gated) out.push_back({id, domain, min_level});
      return out;
    }
    auto rows = db::Query(s,
                          "SELECT id, domain, min_level FROM projects WHERE status = 'active' AND "
                          "NOT EXISTS (SELECT 1 FROM expert_gates g WHERE g.project_id = "
                          "projects.id AND g.expert_id = :e) ORDER BY id")
                    .Bind(expert_id)
                    .All<long long, std::string, int>();
    for (auto& [pid, pdomain, plevel] : rows) {
      if (qualifies(pdomain, plevel)) out.push_back({pid, pdomain, plevel});
    }
    return out;
  });
}

Result<std::optional<Assignment>> WorkService::Next(const Caller& expert,
                                                    std::optional<std::int64_t> project_id) {
  FW_CHECK(expert.IsExpert());
  FW_TRY(auto candidates, EligibleProjects(expert, project_id));
  const bool postgres = db_.dialect() == db::Dialect::kPostgres;
  const std::string pick_sql = fmt::format(
      "SELECT i.id, i.payload FROM items i WHERE i.project_id = :p AND i.is_gold = :g AND "
      "i.is_open = 1 "
      "AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.expert_id = :e) "
      "ORDER BY i.priority DESC, i.id LIMIT 1{}",
      postgres ? " FOR UPDATE OF i SKIP LOCKED" : "");

  struct Picked {
    long long assignment_id = 0, item_id = 0, org_id = 0, leased_at = 0, expires = 0;
    int version = 1;
    std::string payload;
  };
  for (const Candidate& c : candidates) {
    // The gold draw happens outside the transaction; the rate is re-read inside it.
    double draw;
    {
      std::lock_guard lock(rng_mu_);
      draw = std::uniform_real_distribution<double>(0, 1)(rng_);
    }
    long long now = clock_.Now();
    auto job = [&](soci::session& s) -> Result<std::optional<Picked>> {
      long long reclaimed = ReclaimExpired(s, now, options_.reclaim_batch);
      counters_.leases_expired += reclaimed;
      long long pid = c.id, expert_id = expert.user_id;
      long long org = 0, lease = 0;
      int k = 1, version = 1;
      double gold_rate = 0;
      std::string status;
      bool found =
          db::Query(s,
                    "SELECT org_id, redundancy, gold_rate, lease_seconds, template_version, status "
                    "FROM projects WHERE id = :p")
              .Bind(pid)
              .One(org, k, gold_rate, lease, version, status);
      if (!found || status != "active") return std::optional<Picked>();
      int order[2] = {0, 1};
      if (draw < gold_rate) std::swap(order[0], order[1]);
      Picked p;
      for (int gold : order) {
        if (!db::Query(s, pick_sql).Bind(pid).Bind(gold).Bind(expert_id).One(p.item_id, p.payload))
          continue;
        p.org_id = org;
        p.version = version;
        p.leased_at = now;
        p.expires = now + lease;
        db::Query(s,
                  "INSERT INTO assignments (org_id, project_id, item_id, expert_id, is_gold, "
                  "template_version, "
                  "state, leased_at, lease_expires_at, last_heartbeat_at, active_seconds) "
                  "VALUES (:o, :p, :i, :e, :g, :v, 'active', :l, :x, :h, 0) RETURNING id")
            .Bind(org)
            .Bind(pid)
            .Bind(p.item_id)
            .Bind(expert_id)
            .Bind(gold)
            .Bind(version)
            .Bind(now)
            .Bind(p.expires)
            .Bind(now)
            .One(p.assignment_id);
        db::Query(s,
                  "UPDATE items SET taken = taken + 1, is_open = CASE WHEN is_gold = 1 THEN 1 "
                  "WHEN taken + 1 >= :k THEN 0 ELSE 1 END WHERE id = :i")
            .Bind(k)
            .Bind(p.item_id)
            .Run();
        return std::optional<Picked>(std::move(p));
      }
      return std::optional<Picked>();
    };
    auto result = db_.Write<std::optional<Picked>>(job);
    // On PostgreSQL a statement's snapshot may predate another request of the same expert
    // that just took the item; the unique (item, expert) pair refuses the second lease, and
    // a fresh attempt sees the first.
    for (int attempt = 0; attempt < 3 && !result && result.error().code == ErrorCode::kConflict &&
                          result.error().reason.empty();
         ++attempt) {
      result = db_.Write<std::optional<Picked>>(job);
    }
    FW_TRY(std::optional<Picked> picked, std::move(result));
    if (!picked) continue;
    Assignment a;
    a.id = picked->assignment_id;
    a.project_id = c.id;
    a.item_id = picked->item_id;
    FW_TRY(std::string plain, projects_.codec().Open(picked->org_id, picked->payload));
    FW_TRY(a.data, ParseJson(plain, "payload"));
    a.template_version = picked->version;
    FW_TRY(a.tmpl, projects_.TemplateVersion(c.id, picked->version));
    FW_TRY(a.guidelines, projects_.Guidelines(c.id, picked->version));
    a.leased_at = picked->leased_at;
    a.lease_expires_at = picked->expires;
    counters_.tasks_served++;
    return std::optional<Assignment>(std::move(a));
  }
  counters_.no_task++;
  return std::optional<Assignment>();
}

Result<HeartbeatResult> WorkService::Heartbeat(const Caller& expert, std::int64_t assignment_id,
                                               std::optional<std::int64_t> reported) {
  if (reported && *reported < 0) {
    return InvalidArgument("active_seconds must not be negative",
                           {{"active_seconds", "out_of_range", "must be >= 0"}});
  }
  // The qualifications are read before the write: a revocation that commits in between ends
  // the lease in its own transaction, which the state check below then sees.
  FW_TRY(auto held, qualifications_(expert.user_id, nullptr));
  long long now = clock_.Now();
  FW_TRY(auto out, db_.Write<Outcome<HeartbeatResult>>([&](soci::session& s)
                                                           -> Result<Outcome<HeartbeatResult>> {
    FW_TRY(LiveAssignment a, LoadLive(s, assignment_id, expert.user_id));
    AssignmentState state = ParseState(a.state);
    if (state != AssignmentState::kActive) return Fail(StateConflict(state, &a, &held));
    Outcome<HeartbeatResult> o;
    if ((o.ended = EndIfLapsed(s, a, now, held, counters_))) return o;
    long long elapsed = std::max<long long>(0, now - a.last_hb);
    long long add =
        std::min<long long>({reported.value_or(elapsed), elapsed, options_.heartbeat_cap_seconds});
    o.value.active_seconds = a.active + add;
    o.value.lease_expires_at = now + a.lease_seconds;
    long long changed =
        db::Query(s,
                  "UPDATE assignments SET active_seconds = :a, last_heartbeat_at = :n, "
                  "lease_expires_at = :x WHERE id = :id AND state = 'active'")
            .Bind(o.value.active_seconds)
            .Bind(now)
            .Bind(o.value.lease_expires_at)
            .Bind(a.id)
            .Run();
    if (changed != 1) return Fail(LostRace(s, a.id));
    return o;
  }));
  if (out.ended) return Fail(std::move(*out.ended));
  return out.value;
}

Status WorkService::Skip(const Caller& expert, std::int64_t assignment_id, std::string reason) {
  if (reason.size() > 2000) {
    return InvalidArgument("reason is too long",
                           {{"reason", "too_long", "at most 2000 characters"}});
  }
  FW_TRY(auto held, qualifications_(expert.user_id, nullptr));
  long long now = clock_.Now();
  FW_TRY(auto out, db_.Write<Outcome<bool>>([&](soci::session& s) -> Result<Outcome<bool>> {
    FW_TRY(LiveAssignment a, LoadLive(s, assignment_id, expert.user_id));
    AssignmentState state = ParseState(a.state);
    if (state != AssignmentState::kActive) return Fail(StateConflict(state, &a, &held));
    Outcome<bool> o;
    if ((o.ended = EndIfLapsed(s, a, now, held, counters_))) return o;
    long long changed =
        db::Query(s,
                  "UPDATE assignments SET state = 'skipped', skip_reason = :r, finished_at = :n "
                  "WHERE id = :id AND state = 'active'")
            .Bind(reason)
            .Bind(now)
            .Bind(a.id)
            .Run();
    if (changed != 1) return Fail(LostRace(s, a.id));
    ReleaseItem(s, a.item_id);
    return o;
  }));
  if (out.ended) return Fail(std::move(*out.ended));
  counters_.skips++;
  return {};
}

namespace {

struct StoredSubmission {
  long long id = 0, assignment_id = 0, item_id = 0, project_id = 0, org_id = 0, active = 0,
            submitted_at = 0;
  int version = 1;
  std::string answer;
};

std::optional<StoredSubmission> FindByKey(soci::session& s, long long expert_id,
                                          const std::string& key) {
  StoredSubmission r;
  bool found =
      db::Query(
          s,
          "SELECT id, assignment_id, item_id, project_id, org_id, active_seconds, submitted_at, "
          "template_version, answer FROM submissions WHERE expert_id = :e AND idempotency_key = :k")
          .Bind(expert_id)
          .Bind(key)
          .One(r.id, r.assignment_id, r.item_id, r.project_id, r.org_id, r.active, r.submitted_at,
               r.version, r.answer);
  if (!found) return std::nullopt;
  return r;
}

// A reused key replays only the answer it stored: a different answer under it would be
// dropped silently. Numbers compare by value (5 and 5.0 are the same answer), objects
// regardless of member order.
bool SameJson(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) {
    if (!a.is_double() && !b.is_double()) return a == b;  // int64 and uint64 compare by value
    return a.to_number<double>() == b.to_number<double>();
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const json::array &x = a.as_array(), &y = b.as_array();
    return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), SameJson);
  }
  if (a.is_object()) {
    const json::object &x = a.as_object(), &y = b.as_object();
    if (x.size() != y.size()) return false;
    return std::all_of(x.begin(), x.end(), [&](const json::key_value_pair& kv) {
      const json::value* other = y.if_contains(kv.key());
      return other != nullptr && SameJson(kv.value(), *other);
    });
  }
  return a == b;
}

Status CheckSameAnswer(const json::value& stored, const json::value& sent) {
  if (SameJson(stored, sent)) return {};
  return Conflict(
      "this idempotency key was used for a different answer; the first one is stored",
      "idempotency_key_conflict");
}

}  // namespace

Result<Submission> WorkService::Submit(const Caller& expert, std::int64_t assignment_id,
                                       const json::value& answer, std::string key) {
  if (key.empty() || key.size() > 128) {
    return InvalidArgument(
        "idempotency_key is required (1..128 characters)",
        {{"idempotency_key", key.empty() ? "required" : "too_long", "1..128 characters"}});
  }
  long long expert_id = expert.user_id;
  auto to_submission = [&](const StoredSubmission& r, bool replayed) -> Result<Submission> {
    Submission out;
    out.id = r.id;
    out.assignment_id = r.assignment_id;
    out.item_id = r.item_id;
    out.project_id = r.project_id;
    FW_TRY(std::string plain, projects_.codec().Open(r.org_id, r.answer));
    FW_TRY(out.answer, ParseJson(plain, "answer"));
    out.template_version = r.version;
    out.active_seconds = r.active;
    out.submitted_at = r.submitted_at;
    out.replayed = replayed;
    return out;
  };
  auto replay = [&](const StoredSubmission& r) -> Result<Submission> {
    if (r.assignment_id != assignment_id) {
      return Conflict("this idempotency key was used for another assignment",
                      "idempotency_key_reused");
    }
    FW_TRY(Submission first, to_submission(r, true));
    FW_TRY_STATUS(CheckSameAnswer(first.answer, answer));
    counters_.submissions_replayed++;
    return first;
  };

  // One read answers a retry from the store (without validating again) and otherwise finds
  // the template version to validate against, outside the write transaction.
  struct Pre {
    std::optional<StoredSubmission> prior;
    long long project_id = 0;
    int version = 1;
    std::vector<std::pair<std::string, int>> held;  // the expert's qualifications
  };
  FW_TRY(Pre pre, db_.Read<Pre>([&](soci::session& s) -> Result<Pre> {
    Pre p;
    p.prior = FindByKey(s, expert_id, key);
    if (p.prior) return p;
    long long aid = assignment_id;
    bool found =
        db::Query(
            s,
            "SELECT project_id, template_version FROM assignments WHERE id = :a AND expert_id = :e")
            .Bind(aid)
            .Bind(expert_id)
            .One(p.project_id, p.version);
    if (!found) return NotFound("no such assignment");
    FW_TRY(p.held, qualifications_(expert_id, &s));
    return p;
  }));
  if (pre.prior) return replay(*pre.prior);
  const auto& held = pre.held;
  FW_TRY(auto tmpl, projects_.TemplateVersion(pre.project_id, pre.version));
  if (auto st = projects::ValidateAnswer(*tmpl, answer); !st) {
    Error e = st.error();
    e.message = "the answer breaks the project's template";
    e.reason = "invalid_answer";
    return Fail(std::move(e));
  }
  std::string answer_text = json::serialize(answer);

  long long now = clock_.Now();
  struct Stored {
    bool replay = false;
    StoredSubmission row;
  };
  auto job = [&](soci::session& s) -> Result<Outcome<Stored>> {
    Outcome<Stored> o;
    if (auto again = FindByKey(s, expert_id, key)) {
      o.value.replay = true;
      o.value.row = *again;
      return o;
    }
    FW_TRY(LiveAssignment a, LoadLive(s, assignment_id, expert_id));
    AssignmentState state = ParseState(a.state);
    if (state != AssignmentState::kActive) return Fail(StateConflict(state, &a, &held));
    if ((o.ended = EndIfLapsed(s, a, now, held, counters_))) return o;
    long long active = a.active + std::min<long long>({std::max<long long>(0, now - a.last_hb),
                                                       options_.heartbeat_cap_seconds});
    std::optional<long long> gold_correct;
    if (a.is_gold) {
      std::optional<std::string> gold_text;
      db::Query(s, "SELECT gold_answer FROM items WHERE id = :i").Bind(a.item_id).One(gold_text);
      if (gold_text) {
        FW_TRY(std::string plain, projects_.codec().Open(a.org_id, *gold_text));
        FW_TRY(json::value gold, ParseJson(plain, "gold"));
        gold_correct = GoldMatches(gold, answer) ? 1 : 0;
      }
    }
    std::string sealed = projects_.codec().Seal(a.org_id, answer_text);
    StoredSubmission& r = o.value.row;
    db::Query(
        s,
        "INSERT INTO submissions (org_id, project_id, item_id, assignment_id, expert_id, "
        "idempotency_key, "
        "answer, template_version, active_seconds, leased_at, submitted_at, is_gold, gold_correct) "
        "VALUES (:o, :p, :i, :a, :e, :k, :ans, :v, :act, :l, :n, :g, :gc) RETURNING id")
        .Bind(a.org_id)
        .Bind(a.project_id)
        .Bind(a.item_id)
        .Bind(a.id)
        .Bind(expert_id)
        .Bind(key)
        .Bind(sealed)
        .Bind(a.template_version)
        .Bind(active)
        .Bind(a.leased_at)
        .Bind(now)
        .Bind(a.is_gold)
        .Bind(gold_correct)
        .One(r.id);
    long long changed =
        db::Query(s,
                  "UPDATE assignments SET state = 'submitted', finished_at = :n, active_seconds = "
                  ":act, last_heartbeat_at = :n2 WHERE id = :id AND state = 'active'")
            .Bind(now)
            .Bind(active)
            .Bind(now)
            .Bind(a.id)
            .Run();
    // Failing rolls back the submission inserted above: a lease ended meanwhile stores nothing.
    if (changed != 1) return Fail(LostRace(s, a.id));
    db::Query(s, "UPDATE items SET submitted = submitted + 1 WHERE id = :i").Bind(a.item_id).Run();
    r.assignment_id = a.id;
    r.item_id = a.item_id;
    r.project_id = a.project_id;
    r.org_id = a.org_id;
    r.active = active;
    r.submitted_at = now;
    r.version = a.template_version;
    r.answer = sealed;
    return o;
  };
  auto out = db_.Write<Outcome<Stored>>(job);
  if (!out && out.error().code == ErrorCode::kConflict && out.error().reason.empty()) {
    // Two identical requests raced past the first check; the unique key kept one row.
    out = db_.Write<Outcome<Stored>>(job);
  }
  if (!out) return Fail(std::move(out).error());
  if (out->ended) return Fail(std::move(*out->ended));
  if (out->value.replay) return replay(out->value.row);
  counters_.submissions++;
  if (submit_listener_) submit_listener_(out->value.row.project_id);
  return to_submission(out->value.row, false);
}

Result<std::vector<Assignment>> WorkService::ActiveAssignments(const Caller& expert) {
  long long now = clock_.Now();
  struct Row {
    long long id, project_id, item_id, org_id, leased, expires, active;
    int version;
    std::string payload;
  };
  FW_TRY(auto rows, db_.Read<std::vector<Row>>([&](soci::session& s) -> Result<std::vector<Row>> {
    std::vector<Row> out;
    Row r{};
    long long e = expert.user_id;
    soci::statement st =
        (s.prepare
             << "SELECT a.id, a.project_id, a.item_id, a.org_id, a.leased_at, a.lease_expires_at, "
                "a.active_seconds, a.template_version, i.payload FROM assignments a JOIN items i "
                "ON i.id = a.item_id "
                "WHERE a.expert_id = :e AND a.state = 'active' AND a.lease_expires_at >= :n ORDER "
                "BY a.id",
         soci::into(r.id), soci::into(r.project_id), soci::into(r.item_id), soci::into(r.org_id),
         soci::into(r.leased), soci::into(r.expires), soci::into(r.active), soci::into(r.version),
         soci::into(r.payload), soci::use(e), soci::use(now));
    st.execute();
    while (st.fetch()) out.push_back(r);
    return out;
  }));
  std::vector<Assignment> out;
  for (Row& r : rows) {
    Assignment a;
    a.id = r.id;
    a.project_id = r.project_id;
    a.item_id = r.item_id;
    FW_TRY(std::string plain, projects_.codec().Open(r.org_id, r.payload));
    FW_TRY(a.data, ParseJson(plain, "payload"));
    a.template_version = r.version;
    FW_TRY(a.tmpl, projects_.TemplateVersion(r.project_id, r.version));
    FW_TRY(a.guidelines, projects_.Guidelines(r.project_id, r.version));
    a.leased_at = r.leased;
    a.lease_expires_at = r.expires;
    a.active_seconds = r.active;
    out.push_back(std::move(a));
  }
  return out;
}

Result<int> WorkService::EndIneligibleLeases(soci::session& s, std::int64_t expert_user_id,
                                             const std::vector<std::pair<std::string, int>>& held) {
  long long now = clock_.Now(), e = expert_user_id;
  auto leases = db::Query(s,
                          "SELECT a.id, a.item_id, a.lease_expires_at, p.domain, p.min_level FROM "
                          "assignments a JOIN projects p ON p.id = a.project_id "
                          "WHERE a.expert_id = :e AND a.state = 'active'")
                    .Bind(e)
                    .All<long long, long long, long long, std::string, int>();
  std::vector<std::tuple<long long, long long, long long>> lost;
  for (const auto& [id, item_id, expires, domain, min_level] : leases) {
    if (!Qualifies(held, domain, min_level)) lost.emplace_back(id, item_id, expires);
  }
  return RevokeAll(s, lost, now, counters_);
}

Result<int> WorkService::EndLeasesOf(soci::session& s, std::int64_t user_id) {
  long long now = clock_.Now(), e = user_id;
  auto leases = db::Query(s,
                          "SELECT id, item_id, lease_expires_at FROM assignments "
                          "WHERE expert_id = :e AND state = 'active'")
                    .Bind(e)
                    .All<long long, long long, long long>();
  return RevokeAll(s, leases, now, counters_);
}

Result<int> WorkService::EndLeasesOf(std::int64_t user_id) {
  return db_.Write<int>([&](soci::session& s) { return EndLeasesOf(s, user_id); });
}

Result<int> WorkService::EndProjectLeases(soci::session& s, std::int64_t project_id) {
  long long now = clock_.Now(), p = project_id;
  // Ordered by expiry so both databases walk the partial index of active leases (a handful
  // of rows) rather than every assignment the project ever had.
  auto leases = db::Query(s,
                          "SELECT id, item_id, lease_expires_at FROM assignments "
                          "WHERE state = 'active' AND project_id = :p ORDER BY lease_expires_at")
                    .Bind(p)
                    .All<long long, long long, long long>();
  return RevokeAll(s, leases, now, counters_);
}

Result<std::vector<WorkProject>> WorkService::Projects(const Caller& expert) {
  FW_TRY(auto candidates, EligibleProjects(expert, std::nullopt));
  const std::int64_t now = clock_.Now();
  return db_.Read<std::vector<WorkProject>>(
      [&](soci::session& s) -> Result<std::vector<WorkProject>> {
        std::vector<WorkProject> out;
        for (const Candidate& c : candidates) {
          WorkProject w;
          w.id = c.id;
          w.domain = c.domain;
          w.min_level = c.min_level;
          long long pid = c.id;
          db::Query(s, "SELECT name, template_version, guidelines FROM projects WHERE id = :p")
              .Bind(pid)
              .One(w.name, w.template_version, w.guidelines);
          std::optional<std::int64_t> cached;
          {
            std::lock_guard lock(open_counts_mu_);
            auto it = open_counts_.find(c.id);
            if (it != open_counts_.end() && now - it->second.first < kOpenCountSeconds)
              cached = it->second.second;
          }
          if (!cached) {
            long long open = 0;
            db::Query(
                s,
                "SELECT COUNT(*) FROM items WHERE project_id = :p AND is_gold = 0 AND is_open = 1")
                .Bind(pid)
                .One(open);
            cached = open;
            std::lock_guard lock(open_counts_mu_);
            open_counts_[c.id] = {now, open};
          }
          w.open_items = *cached;
          out.push_back(std::move(w));
        }
        return out;
      });
}

}  // namespace fw::work
