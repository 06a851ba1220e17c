#include "work/work.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>

#include "base/json.h"
#include "db/query.h"
#include "projects/pool.h"

namespace fw::work {

namespace json = boost::json;

bool ParseAssignmentState(std::string_view name, AssignmentState* out) {
  for (AssignmentState s :
       {AssignmentState::kActive, AssignmentState::kSubmitted, AssignmentState::kSkipped,
        AssignmentState::kExpired, AssignmentState::kRevoked}) {
    if (AssignmentStateName(s) == name) {
      *out = s;
      return true;
    }
  }
  return false;
}

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

// Deletes the assignment's draft, inside the transaction that ends the assignment (or discards
// the draft): a draft never outlives its lease.
void DeleteDraft(soci::session& s, long long assignment_id) {
  db::Query(s, "DELETE FROM assignment_drafts WHERE assignment_id = :a").Bind(assignment_id).Run();
}

// Ends an active assignment as `state` (expired or revoked) and frees its item's slot: the one
// path by which a lease ends without a submission or a skip. Returns false when the assignment
// was no longer active (another transaction got there first).
// Publishes "lease ended" for it; a subscriber's error fails the caller's transaction.
Result<bool> EndOne(soci::session& s, const db::Topic<LeaseEnded>& topic, long long assignment_id,
                    long long item_id, long long now, AssignmentState state) {
  FW_CHECK(state == AssignmentState::kExpired || state == AssignmentState::kRevoked);
  LeaseEnded ended;
  long long project_id = 0, org_id = 0, expert_id = 0;
  bool changed = db::Query(s,
                           "UPDATE assignments SET state = :st, finished_at = :n "
                           "WHERE id = :id AND state = 'active' "
                           "RETURNING project_id, org_id, expert_id")
                     .Bind(std::string(AssignmentStateName(state)))
                     .Bind(now)
                     .Bind(assignment_id)
                     .One(project_id, org_id, expert_id);
  if (!changed) return false;
  projects::ReleaseSlot(s, item_id);
  DeleteDraft(s, assignment_id);
  ended.assignment_id = assignment_id;
  ended.project_id = project_id;
  ended.org_id = org_id;
  ended.expert_id = expert_id;
  ended.state = state;
  ended.at = now;
  FW_TRY_STATUS(topic.PublishInTransaction(s, ended));
  return true;
}

Result<bool> ExpireOne(soci::session& s, const db::Topic<LeaseEnded>& topic,
                       long long assignment_id, long long item_id, long long now) {
  return EndOne(s, topic, assignment_id, item_id, now, AssignmentState::kExpired);
}

// Revokes each active lease of `rows` (id, item id); a lease whose time ran out already is
// recorded as expired, which is what it was. Returns how many ended.
Result<int> RevokeAll(soci::session& s, const db::Topic<LeaseEnded>& topic,
                      const std::vector<std::tuple<long long, long long, long long>>& rows,
                      long long now, WorkCounters& counters) {
  int n = 0;
  for (const auto& [id, item_id, expires] : rows) {
    bool expired = expires < now;
    FW_TRY(bool ended, EndOne(s, topic, id, item_id, now,
                              expired ? AssignmentState::kExpired : AssignmentState::kRevoked));
    if (!ended) continue;
    ++n;
    (expired ? counters.leases_expired : counters.leases_revoked)++;
  }
  return n;
}

Result<long long> ReclaimExpired(soci::session& s, const db::Topic<LeaseEnded>& topic,
                                 long long now, int limit) {
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
    FW_TRY(bool ended, ExpireOne(s, topic, id, item_id, now));
    n += ended ? 1 : 0;
  }
  return n;
}

// The state of an assignment as its owner may act on it, read inside a write transaction,
// with what its lease stands on: the project's requirements.
struct LiveAssignment {
  long long id = 0, item_id = 0, project_id = 0, org_id = 0, leased_at = 0, expires = 0,
            last_hb = 0, active = 0, lease_seconds = 0;
  int is_gold = 0, template_version = 1;
  std::string state;
  projects::Requirements project;
};

// kConflict for an assignment that can no longer be worked on. For a revoked lease the
// message names the ground that went, as far as it is still visible (`standing` may be null).
Error StateConflict(AssignmentState state, const LiveAssignment* a = nullptr,
                    const experts::Standing* standing = nullptr) {
  switch (state) {
    case AssignmentState::kSubmitted:
      return Error(ErrorCode::kConflict, "this assignment was already submitted", {},
                   "already_submitted");
    case AssignmentState::kSkipped:
      return Error(ErrorCode::kConflict, "this assignment was skipped", {}, "skipped");
    case AssignmentState::kRevoked: {
      std::string why = "the lease was ended early";
      if (a && standing) {
        if (auto unmet = experts::LeaseLapsed(*standing, a->project)) why = unmet->message;
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
                "a.template_version, a.state "
                "FROM assignments a JOIN projects p ON p.id = a.project_id WHERE a.id = :id AND "
                "a.expert_id = :e")
          .Bind(assignment_id)
          .Bind(expert_id)
          .One(a.id, a.item_id, a.project_id, a.org_id, a.leased_at, a.expires, a.last_hb, a.active,
               a.lease_seconds, a.is_gold, a.template_version, a.state);
  if (!found) return NotFound("no such assignment");
  auto project = projects::RequirementsOf(s, a.project_id);
  if (!project) return NotFound("no such assignment");
  a.project = std::move(*project);
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
// went (revoked: experts::LeaseLapsed), and returns the error to answer with; nullopt when the
// lease stands.
Result<std::optional<Error>> EndIfLapsed(soci::session& s, const db::Topic<LeaseEnded>& topic,
                                         const LiveAssignment& a, long long now,
                                         const experts::Standing& standing,
                                         WorkCounters& counters) {
  AssignmentState end;
  if (a.expires < now) {
    end = AssignmentState::kExpired;
  } else if (experts::LeaseLapsed(standing, a.project)) {
    end = AssignmentState::kRevoked;
  } else {
    return std::optional<Error>();
  }
  FW_TRY(bool ended, EndOne(s, topic, a.id, a.item_id, now, end));
  if (!ended) return std::optional<Error>(LostRace(s, a.id));
  (end == AssignmentState::kExpired ? counters.leases_expired : counters.leases_revoked)++;
  return std::optional<Error>(StateConflict(end, &a, &standing));
}

// The owner's assignment as a heartbeat, a draft, a skip or a submit finds it inside its write
// transaction. A lease that ran out or lost its grounds is ended here and comes back in
// `ended`: the job commits that end and the caller answers with the error.
// Errors: kNotFound (not the expert's), kConflict (the assignment ended already).
struct Acting {
  LiveAssignment a;
  std::optional<Error> ended;
};

Result<Acting> LoadActing(soci::session& s, const db::Topic<LeaseEnded>& topic,
                          long long assignment_id, long long expert_id, long long now,
                          const experts::Standing& standing, WorkCounters& counters) {
  Acting act;
  FW_TRY(act.a, LoadLive(s, assignment_id, expert_id));
  AssignmentState state = ParseState(act.a.state);
  if (state != AssignmentState::kActive) return Fail(StateConflict(state, &act.a, &standing));
  FW_TRY(act.ended, EndIfLapsed(s, topic, act.a, now, standing, counters));
  return act;
}

// For CreditActive when the expert was credited within the last `wanted` seconds, or never:
// the seconds since the last credit (at most `wanted`), recorded as credited up to `now`.
long long Uncredited(soci::session& s, bool postgres, long long expert_id, long long wanted,
                     long long now) {
  auto read = [&](long long& until) {
    return postgres ? db::Query(s,
                                "SELECT credited_until FROM expert_activity WHERE expert_id = :e "
                                "FOR UPDATE")
                          .Bind(expert_id)
                          .One(until)
                    : db::Query(s,
                                "SELECT credited_until FROM expert_activity WHERE expert_id = :e")
                          .Bind(expert_id)
                          .One(until);
  };
  long long until = 0;
  if (!read(until)) {
    db::Query(s,
              "INSERT INTO expert_activity (expert_id, credited_until) VALUES (:e, 0) "
              "ON CONFLICT (expert_id) DO NOTHING")
        .Bind(expert_id)
        .Run();
    read(until);
  }
  long long add = std::min(wanted, now - until);
  if (add <= 0) return 0;
  db::Query(s, "UPDATE expert_activity SET credited_until = :n WHERE expert_id = :e")
      .Bind(now)
      .Bind(expert_id)
      .Run();
  return add;
}

// Credits up to `wanted` seconds of active time, ending at `now`, to the live assignment `a` of
// `expert_id`: never more than the time since the expert was last credited on any assignment
// (`expert_activity`, locked for the transaction on PostgreSQL), so two tabs or devices never
// count the same seconds. Publishes "active time counted" when it credits any; a subscriber's
// error fails the caller's transaction. Returns the seconds credited.
Result<long long> CreditActive(soci::session& s, bool postgres,
                               const db::Topic<ActiveTimeCounted>& topic, const LiveAssignment& a,
                               long long expert_id, long long wanted, long long now) {
  if (wanted <= 0) return 0LL;
  // The common case, one tab: nothing was credited since `now - wanted`, so all of it counts,
  // in one statement (on PostgreSQL it also takes the row's lock).
  long long add = wanted;
  const bool whole = db::Query(s,
                               "UPDATE expert_activity SET credited_until = :n WHERE expert_id = "
                               ":e AND credited_until <= :since")
                         .Bind(now)
                         .Bind(expert_id)
                         .Bind(now - wanted)
                         .Run() == 1;
  if (!whole) {
    add = Uncredited(s, postgres, expert_id, wanted, now);
    if (add <= 0) return 0LL;
  }
  ActiveTimeCounted counted;
  counted.assignment_id = a.id;
  counted.project_id = a.project_id;
  counted.org_id = a.org_id;
  counted.expert_id = expert_id;
  counted.seconds = add;
  counted.at = now;
  FW_TRY_STATUS(topic.PublishInTransaction(s, counted));
  return add;
}


// Checks a draft before it is stored and returns its JSON text.
// Errors: kInvalidArgument naming "answer" (code "type" or "too_long").
Result<std::string> DraftText(const json::value& answer) {
  if (!answer.is_object()) return Fail(FieldTypeError("answer", "a JSON object"));
  std::string text = ToJson(answer);
  if (text.size() > kMaxDraftBytes) {
    return InvalidArgument(
        "the draft is too long",
        {{"answer", "too_long", fmt::format("at most {} bytes as JSON", kMaxDraftBytes)}});
  }
  return text;
}

}  // namespace

WorkService::WorkService(db::Database& db, const Clock& clock, projects::ProjectService& projects,
                         experts::Eligibility& eligibility, WorkOptions options)
    : db_(db),
      clock_(clock),
      projects_(projects),
      eligibility_(eligibility),
      options_(options),
      rng_(options.seed ? options.seed : std::random_device{}()) {}

Result<std::vector<projects::Requirements>> WorkService::Candidates(
    const Caller& expert, std::optional<std::int64_t> project_id) {
  if (!project_id) return eligibility_.Projects(expert.user_id);
  FW_TRY(auto verdict, eligibility_.Check(expert.user_id, *project_id));
  if (!verdict.unmet) return std::vector<projects::Requirements>{std::move(verdict.project)};
  // A gated expert asking for the project's work gets none, like a project with no open items.
  if (verdict.unmet->reason == "gated") return std::vector<projects::Requirements>{};
  return Fail(verdict.unmet->ToError());
}

Result<std::optional<Assignment>> WorkService::Next(const Caller& expert,
                                                    std::optional<std::int64_t> project_id) {
  FW_CHECK(expert.IsExpert());
  FW_TRY(auto candidates, Candidates(expert, project_id));
  const bool postgres = db_.dialect() == db::Dialect::kPostgres;

  struct Picked {
    long long assignment_id = 0, item_id = 0, org_id = 0, leased_at = 0, expires = 0;
    int version = 1;
    std::string payload;
  };
  for (const projects::Requirements& c : candidates) {
    // The gold draw happens outside the transaction; the rate is re-read inside it.
    double draw;
    {
      std::lock_guard lock(rng_mu_);
      draw = std::uniform_real_distribution<double>(0, 1)(rng_);
    }
    long long now = clock_.Now();
    auto job = [&](soci::session& s) -> Result<std::optional<Picked>> {
      FW_TRY(long long reclaimed, ReclaimExpired(s, lease_ended_, now, options_.reclaim_batch));
      counters_.leases_expired += reclaimed;
      long long pid = c.project_id, expert_id = expert.user_id;
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
        auto item = projects::PickOpenItem(s, postgres, pid, gold == 1, expert_id);
        if (!item) continue;
        p.item_id = item->id;
        p.payload = std::move(item->payload);
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
        projects::TakeSlot(s, p.item_id, k);
        LeaseStarted started;
        started.assignment_id = p.assignment_id;
        started.project_id = pid;
        started.org_id = org;
        started.item_id = p.item_id;
        started.expert_id = expert_id;
        started.is_gold = gold == 1;
        started.at = now;
        FW_TRY_STATUS(lease_started_.PublishInTransaction(s, started));
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
    // A project whose budget the lease would overrun hands out nothing; another may.
    if (!result && result.error().reason == "budget_exhausted" && !project_id) continue;
    FW_TRY(std::optional<Picked> picked, std::move(result));
    if (!picked) continue;
    Assignment a;
    a.id = picked->assignment_id;
    a.project_id = c.project_id;
    a.item_id = picked->item_id;
    FW_TRY(std::string plain, projects_.tenancy().Open(picked->org_id, picked->payload));
    FW_TRY(a.data, ParseJson(plain, "payload"));
    a.template_version = picked->version;
    FW_TRY(a.tmpl, projects_.TemplateVersion(c.project_id, picked->version));
    FW_TRY(a.guidelines, projects_.Guidelines(c.project_id, picked->version));
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
  // The standing is read before the write: a revocation that commits in between ends the
  // lease in its own transaction, which the state check below then sees.
  FW_TRY(auto standing, eligibility_.LeaseStandingOf(expert.user_id));
  long long now = clock_.Now();
  FW_TRY(auto out, db_.Write<Outcome<HeartbeatResult>>([&](soci::session& s)
                                                           -> Result<Outcome<HeartbeatResult>> {
    FW_TRY(Acting act, LoadActing(s, lease_ended_, assignment_id, expert.user_id, now, standing, counters_));
    Outcome<HeartbeatResult> o;
    if ((o.ended = std::move(act.ended))) return o;
    const LiveAssignment& a = act.a;
    long long elapsed = std::max<long long>(0, now - a.last_hb);
    long long wanted =
        std::min<long long>({reported.value_or(elapsed), elapsed, options_.heartbeat_cap_seconds});
    FW_TRY(long long add, CreditActive(s, db_.dialect() == db::Dialect::kPostgres, active_time_counted_, a,
                                            expert.user_id, wanted, now));
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
  FW_TRY(auto standing, eligibility_.LeaseStandingOf(expert.user_id));
  long long now = clock_.Now();
  FW_TRY(auto out, db_.Write<Outcome<bool>>([&](soci::session& s) -> Result<Outcome<bool>> {
    FW_TRY(Acting act, LoadActing(s, lease_ended_, assignment_id, expert.user_id, now, standing, counters_));
    Outcome<bool> o;
    if ((o.ended = std::move(act.ended))) return o;
    const LiveAssignment& a = act.a;
    long long changed =
        db::Query(s,
                  "UPDATE assignments SET state = 'skipped', skip_reason = :r, finished_at = :n "
                  "WHERE id = :id AND state = 'active'")
            .Bind(reason)
            .Bind(now)
            .Bind(a.id)
            .Run();
    if (changed != 1) return Fail(LostRace(s, a.id));
    projects::ReleaseSlot(s, a.item_id);
    DeleteDraft(s, a.id);
    LeaseEnded ended;
    ended.assignment_id = a.id;
    ended.project_id = a.project_id;
    ended.org_id = a.org_id;
    ended.expert_id = expert.user_id;
    ended.state = AssignmentState::kSkipped;
    ended.at = now;
    FW_TRY_STATUS(lease_ended_.PublishInTransaction(s, ended));
    return o;
  }));
  if (out.ended) return Fail(std::move(*out.ended));
  counters_.skips++;
  return {};
}

Result<std::int64_t> WorkService::SaveDraft(const Caller& expert, std::int64_t assignment_id,
                                            const json::value& answer) {
  FW_TRY(std::string text, DraftText(answer));
  FW_TRY(auto standing, eligibility_.LeaseStandingOf(expert.user_id));
  const long long now = clock_.Now();
  FW_TRY(auto out, db_.Write<Outcome<bool>>([&](soci::session& s) -> Result<Outcome<bool>> {
    FW_TRY(Acting act, LoadActing(s, lease_ended_, assignment_id, expert.user_id, now, standing, counters_));
    Outcome<bool> o;
    if ((o.ended = std::move(act.ended))) return o;
    const LiveAssignment& a = act.a;
    // Writing the assignment's row holds it until this commits, so a submit or skip racing the
    // save (on PostgreSQL) either comes after it and deletes the draft, or ends the lease first
    // and the save finds it ended.
    long long held = db::Query(s,
                               "UPDATE assignments SET state = 'active' WHERE id = :id AND "
                               "state = 'active'")
                         .Bind(a.id)
                         .Run();
    if (held != 1) return Fail(LostRace(s, a.id));
    db::Query(s,
              "INSERT INTO assignment_drafts (assignment_id, org_id, answer, saved_at) VALUES "
              "(:a, :o, :d, :n) ON CONFLICT (assignment_id) DO UPDATE SET answer = "
              "excluded.answer, saved_at = excluded.saved_at")
        .Bind(a.id)
        .Bind(a.org_id)
        .Bind(projects_.tenancy().Seal(a.org_id, text))
        .Bind(now)
        .Run();
    return o;
  }));
  if (out.ended) return Fail(std::move(*out.ended));
  return now;
}

Status WorkService::DiscardDraft(const Caller& expert, std::int64_t assignment_id) {
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    long long id = 0;
    if (!db::Query(s, "SELECT id FROM assignments WHERE id = :a AND expert_id = :e")
             .Bind(assignment_id)
             .Bind(expert.user_id)
             .One(id)) {
      return NotFound("no such assignment");
    }
    DeleteDraft(s, id);
    return true;
  }));
  return {};
}

// A submission row as stored (the answer sealed by the payload codec).
struct SubmissionRow {
  long long id = 0, assignment_id = 0, item_id = 0, project_id = 0, org_id = 0, active = 0,
            submitted_at = 0;
  int version = 1;
  std::string answer;
};

namespace {

std::optional<SubmissionRow> FindByKey(soci::session& s, long long expert_id,
                                       const std::string& key) {
  SubmissionRow r;
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
  return Conflict("this idempotency key was used for a different answer; the first one is stored",
                  "idempotency_key_conflict");
}

Status CheckIdempotencyKey(const std::string& key) {
  if (!key.empty() && key.size() <= 128) return {};
  return InvalidArgument(
      "idempotency_key is required (1..128 characters)",
      {{"idempotency_key", key.empty() ? "required" : "too_long", "1..128 characters"}});
}

Submission ToSubmission(const SubmissionRow& r, json::value answer, bool replayed) {
  Submission out;
  out.id = r.id;
  out.assignment_id = r.assignment_id;
  out.item_id = r.item_id;
  out.project_id = r.project_id;
  out.answer = std::move(answer);
  out.template_version = r.version;
  out.active_seconds = r.active;
  out.submitted_at = r.submitted_at;
  out.replayed = replayed;
  return out;
}

// Whether the gold item's answer matches `answer`; nullopt for a non-gold item or a gold item
// stored without a gold answer.
Result<std::optional<bool>> GoldCheck(soci::session& s, const tenancy::Tenancy& tenancy,
                                      const LiveAssignment& a, const json::value& answer) {
  if (!a.is_gold) return std::optional<bool>();
  std::optional<std::string> gold_text;
  db::Query(s, "SELECT gold_answer FROM items WHERE id = :i").Bind(a.item_id).One(gold_text);
  if (!gold_text) return std::optional<bool>();
  FW_TRY(std::string plain, tenancy.Open(a.org_id, *gold_text));
  FW_TRY(json::value gold, ParseJson(plain, "gold"));
  return std::optional<bool>(projects::GoldMatches(gold, answer));
}

// Inserts the submission of the live assignment `a` and closes the assignment, inside `s`.
// Errors: kConflict when the assignment stopped being active since it was read (LostRace).
Result<SubmissionRow> InsertSubmission(soci::session& s, const LiveAssignment& a,
                                       long long expert_id, const std::string& key,
                                       std::string sealed, std::optional<bool> gold_correct,
                                       long long active, long long now) {
  SubmissionRow r;
  std::optional<long long> gold_flag;
  if (gold_correct) gold_flag = *gold_correct ? 1 : 0;
  db::Query(
      s,
      "INSERT INTO submissions (org_id, project_id, item_id, assignment_id, expert_id, "
      "idempotency_key, answer, template_version, active_seconds, leased_at, submitted_at, "
      "is_gold, gold_correct) VALUES (:o, :p, :i, :a, :e, :k, :ans, :v, :act, :l, :n, :g, :gc) "
      "RETURNING id")
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
      .Bind(gold_flag)
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
  projects::RecordJudgment(s, a.item_id, now);
  DeleteDraft(s, a.id);
  r.assignment_id = a.id;
  r.item_id = a.item_id;
  r.project_id = a.project_id;
  r.org_id = a.org_id;
  r.active = active;
  r.submitted_at = now;
  r.version = a.template_version;
  r.answer = std::move(sealed);
  return r;
}

}  // namespace

// What Submit learns before it writes: a stored submission under the key (a retry), or else
// what the answer is checked against and the expert's standing.
struct WorkService::SubmitPlan {
  std::optional<SubmissionRow> prior;
  long long project_id = 0;
  int version = 1;
  experts::Standing standing;
};

// What the write transaction of Submit ended with: a stored submission under the key (a race
// of two identical requests), the lease ended instead, or the event of the new submission.
struct WorkService::SubmitOutcome {
  std::optional<SubmissionRow> prior;
  std::optional<Error> ended;
  SubmissionStored event;
};

Result<WorkService::SubmitPlan> WorkService::PlanSubmit(long long expert_id,
                                                        std::int64_t assignment_id,
                                                        const std::string& key) {
  // One read answers a retry from the store (without validating again) and otherwise finds
  // the template version to validate against, outside the write transaction.
  return db_.Read<SubmitPlan>([&](soci::session& s) -> Result<SubmitPlan> {
    SubmitPlan p;
    p.prior = FindByKey(s, expert_id, key);
    if (p.prior) return p;
    bool found =
        db::Query(
            s,
            "SELECT project_id, template_version FROM assignments WHERE id = :a AND expert_id = :e")
            .Bind(assignment_id)
            .Bind(expert_id)
            .One(p.project_id, p.version);
    if (!found) return NotFound("no such assignment");
    FW_TRY(p.standing, eligibility_.LeaseStandingOf(expert_id, &s));
    return p;
  });
}

Result<Submission> WorkService::Replay(const SubmissionRow& prior, std::int64_t assignment_id,
                                       const json::value& answer) {
  if (prior.assignment_id != assignment_id) {
    return Conflict("this idempotency key was used for another assignment",
                    "idempotency_key_reused");
  }
  FW_TRY(std::string plain, projects_.tenancy().Open(prior.org_id, prior.answer));
  FW_TRY(json::value stored, ParseJson(plain, "answer"));
  FW_TRY_STATUS(CheckSameAnswer(stored, answer));
  counters_.submissions_replayed++;
  return ToSubmission(prior, std::move(stored), true);
}

Result<WorkService::SubmitOutcome> WorkService::StoreSubmission(
    soci::session& s, long long expert_id, std::int64_t assignment_id, const json::value& answer,
    const std::string& key, const experts::Standing& standing, long long now) {
  SubmitOutcome o;
  if ((o.prior = FindByKey(s, expert_id, key))) return o;
  FW_TRY(Acting act, LoadActing(s, lease_ended_, assignment_id, expert_id, now, standing, counters_));
  if ((o.ended = std::move(act.ended))) return o;
  const LiveAssignment& a = act.a;
  FW_TRY(long long credited,
         CreditActive(s, db_.dialect() == db::Dialect::kPostgres, active_time_counted_, a, expert_id,
                      std::min<long long>(std::max<long long>(0, now - a.last_hb),
                                          options_.heartbeat_cap_seconds),
                      now));
  long long active = a.active + credited;
  FW_TRY(o.event.gold_correct, GoldCheck(s, projects_.tenancy(), a, answer));
  std::string sealed = projects_.tenancy().Seal(a.org_id, ToJson(answer));
  FW_TRY(SubmissionRow row, InsertSubmission(s, a, expert_id, key, std::move(sealed),
                                             o.event.gold_correct, active, now));
  o.event.submission = ToSubmission(row, answer, false);
  o.event.org_id = a.org_id;
  o.event.expert_id = expert_id;
  o.event.is_gold = a.is_gold != 0;
  // What must commit with the submission commits here, or the submission is not stored.
  FW_TRY_STATUS(submission_stored_.PublishInTransaction(s, o.event));
  return o;
}

Result<Submission> WorkService::Submit(const Caller& expert, std::int64_t assignment_id,
                                       const json::value& answer, std::string key) {
  FW_TRY_STATUS(CheckIdempotencyKey(key));
  const long long expert_id = expert.user_id;
  FW_TRY(SubmitPlan plan, PlanSubmit(expert_id, assignment_id, key));
  if (plan.prior) return Replay(*plan.prior, assignment_id, answer);
  FW_TRY(auto tmpl, projects_.TemplateVersion(plan.project_id, plan.version));
  if (auto st = projects::ValidateAnswer(*tmpl, answer); !st) {
    Error e = st.error();
    e.message = "the answer breaks the project's template";
    e.reason = "invalid_answer";
    return Fail(std::move(e));
  }
  const long long now = clock_.Now();
  auto job = [&](soci::session& s) {
    return StoreSubmission(s, expert_id, assignment_id, answer, key, plan.standing, now);
  };
  auto out = db_.Write<SubmitOutcome>(job);
  if (!out && out.error().code == ErrorCode::kConflict && out.error().reason.empty()) {
    // Two identical requests raced past the first check; the unique key kept one row.
    out = db_.Write<SubmitOutcome>(job);
  }
  if (!out) return Fail(std::move(out).error());
  if (out->ended) return Fail(std::move(*out->ended));
  if (out->prior) return Replay(*out->prior, assignment_id, answer);
  counters_.submissions++;
  submission_stored_.PublishAfterCommit(out->event);
  return std::move(out->event.submission);
}

namespace {

// An assignment row with its item's stored payload, as the listings read it.
struct AssignmentRow {
  long long id = 0, project_id = 0, item_id = 0, org_id = 0, leased = 0, expires = 0, active = 0;
  int version = 1;
  std::string payload, state;
  std::optional<long long> finished, draft_saved_at;
  std::optional<std::string> skip_reason, answer, draft;
};

// What every listing reads: an assignment `a` with its item `i`, its submission `s` and its
// draft `d` (each of the last two there or not), in AssignmentRow's order.
#define FW_ASSIGNMENT_SELECT                                                                 \
  "SELECT a.id, a.project_id, a.item_id, a.org_id, a.leased_at, a.lease_expires_at, "        \
  "a.active_seconds, a.template_version, i.payload, a.state, a.finished_at, a.skip_reason, " \
  "s.answer, d.answer, d.saved_at FROM assignments a JOIN items i ON i.id = a.item_id LEFT " \
  "JOIN submissions s ON s.assignment_id = a.id LEFT JOIN assignment_drafts d ON "           \
  "d.assignment_id = a.id "

// The Assignment a row stands for, its payload and answer opened under the row's lab.
Result<Assignment> ToAssignment(projects::ProjectService& projects_, AssignmentRow& r) {
  Assignment a;
  a.id = r.id;
  a.project_id = r.project_id;
  a.item_id = r.item_id;
  FW_TRY(std::string plain, projects_.tenancy().Open(r.org_id, r.payload));
  FW_TRY(a.data, ParseJson(plain, "payload"));
  a.template_version = r.version;
  FW_TRY(a.tmpl, projects_.TemplateVersion(r.project_id, r.version));
  FW_TRY(a.guidelines, projects_.Guidelines(r.project_id, r.version));
  a.leased_at = r.leased;
  a.lease_expires_at = r.expires;
  a.active_seconds = r.active;
  if (!ParseAssignmentState(r.state, &a.state)) {
    return Internal("a stored assignment has an unknown state");
  }
  a.finished_at = r.finished.value_or(0);
  a.skip_reason = r.skip_reason.value_or("");
  if (r.answer) {
    FW_TRY(std::string answer, projects_.tenancy().Open(r.org_id, *r.answer));
    FW_TRY(a.answer, ParseJson(answer, "answer"));
  }
  if (r.draft) {
    FW_TRY(std::string draft, projects_.tenancy().Open(r.org_id, *r.draft));
    FW_TRY(a.draft, ParseJson(draft, "draft"));
    a.draft_saved_at = r.draft_saved_at.value_or(0);
  }
  return a;
}

// The first `most` assignments a listing's query reads (`query` makes it on the session: a
// FW_ASSIGNMENT_SELECT with its conditions, bound), and whether it read one more.
struct Listed {
  std::vector<Assignment> assignments;
  bool more = false;
};

Result<Listed> ReadAssignments(db::Database& db, projects::ProjectService& projects,
                               std::size_t most,
                               const std::function<db::Query(soci::session&)>& query) {
  FW_TRY(auto rows, db.Read<std::vector<AssignmentRow>>(
                        [&](soci::session& s) -> Result<std::vector<AssignmentRow>> {
                          std::vector<AssignmentRow> out;
                          AssignmentRow r;
                          query(s).Each(
                              [&] {
                                out.push_back(r);
                                return out.size() <= most;
                              },
                              r.id, r.project_id, r.item_id, r.org_id, r.leased, r.expires,
                              r.active, r.version, r.payload, r.state, r.finished, r.skip_reason,
                              r.answer, r.draft, r.draft_saved_at);
                          return out;
                        }));
  Listed listed;
  listed.more = rows.size() > most;
  if (listed.more) rows.resize(most);
  for (AssignmentRow& r : rows) {
    FW_TRY(Assignment a, ToAssignment(projects, r));
    listed.assignments.push_back(std::move(a));
  }
  return listed;
}

}  // namespace

Result<std::vector<Assignment>> WorkService::ActiveAssignments(const Caller& expert) {
  const long long now = clock_.Now();
  auto active = [&](soci::session& s) {
    db::Query q(s, FW_ASSIGNMENT_SELECT
                "WHERE a.expert_id = :e AND a.state = 'active' AND a.lease_expires_at >= :n "
                "ORDER BY a.id");
    q.Bind(expert.user_id).Bind(now);
    return q;
  };
  FW_TRY(Listed listed,
         ReadAssignments(db_, projects_, std::numeric_limits<std::size_t>::max(), active));
  return std::move(listed.assignments);
}

Result<AssignmentPage> WorkService::FinishedAssignments(const Caller& expert, AssignmentState state,
                                                        int limit, std::int64_t before) {
  FW_CHECK(state != AssignmentState::kActive && limit > 0);
  const std::string state_name(AssignmentStateName(state));
  const long long upper = before > 0 ? before : std::numeric_limits<long long>::max();
  auto finished = [&](soci::session& s) {
    db::Query q(s, FW_ASSIGNMENT_SELECT
                "WHERE a.expert_id = :e AND a.state = :st AND a.id < :before ORDER BY a.id DESC "
                "LIMIT :limit");
    q.Bind(expert.user_id).Bind(state_name).Bind(upper).Bind(limit + 1);
    return q;
  };
  FW_TRY(Listed listed, ReadAssignments(db_, projects_, static_cast<std::size_t>(limit), finished));
  AssignmentPage page;
  page.assignments = std::move(listed.assignments);
  if (listed.more) page.next_before = page.assignments.back().id;
  return page;
}

Result<int> WorkService::EndIneligibleLeases(soci::session& s, const experts::Standing& standing) {
  long long now = clock_.Now(), e = standing.expert_id;
  auto leases = db::Query(s,
                          "SELECT id, item_id, lease_expires_at, project_id FROM assignments "
                          "WHERE expert_id = :e AND state = 'active'")
                    .Bind(e)
                    .All<long long, long long, long long, long long>();
  std::vector<std::tuple<long long, long long, long long>> lost;
  for (auto& [id, item_id, expires, project_id] : leases) {
    auto project = projects::RequirementsOf(s, project_id);
    if (project && experts::LeaseLapsed(standing, *project)) {
      lost.emplace_back(id, item_id, expires);
    }
  }
  return RevokeAll(s, lease_ended_, lost, now, counters_);
}

Result<int> WorkService::EndLeasesOf(soci::session& s, std::int64_t user_id) {
  long long now = clock_.Now(), e = user_id;
  auto leases = db::Query(s,
                          "SELECT id, item_id, lease_expires_at FROM assignments "
                          "WHERE expert_id = :e AND state = 'active'")
                    .Bind(e)
                    .All<long long, long long, long long>();
  return RevokeAll(s, lease_ended_, leases, now, counters_);
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
  return RevokeAll(s, lease_ended_, leases, now, counters_);
}

WorkProject WorkService::Describe(soci::session& s, const projects::Requirements& c,
                                  std::int64_t expert_id, std::int64_t now) {
  WorkProject w;
  w.id = c.project_id;
  w.domain = c.domain;
  w.min_level = c.min_level;
  w.terms_version = c.terms_version;
  db::Query(s, "SELECT name, template_version, guidelines FROM projects WHERE id = :p")
      .Bind(w.id)
      .One(w.name, w.template_version, w.guidelines);
  std::optional<std::int64_t> cached;
  {
    std::lock_guard lock(open_counts_mu_);
    auto it = open_counts_.find(w.id);
    if (it != open_counts_.end() && now - it->second.first < kOpenCountSeconds)
      cached = it->second.second;
  }
  if (!cached) {
    cached = projects::OpenItemCount(s, w.id);
    std::lock_guard lock(open_counts_mu_);
    open_counts_[w.id] = {now, *cached};
  }
  // Items this expert has had are never routed to them again.
  w.open_items = std::max<std::int64_t>(0, *cached - projects::OpenItemsHadBy(s, w.id, expert_id));
  return w;
}

Result<std::vector<WorkProject>> WorkService::Projects(const Caller& expert) {
  FW_TRY(auto candidates, eligibility_.Projects(expert.user_id));
  const std::int64_t now = clock_.Now();
  return db_.Read<std::vector<WorkProject>>(
      [&](soci::session& s) -> Result<std::vector<WorkProject>> {
        std::vector<WorkProject> out;
        for (const projects::Requirements& c : candidates) {
          out.push_back(Describe(s, c, expert.user_id, now));
        }
        return out;
      });
}

Result<std::vector<LockedProject>> WorkService::Locked(const Caller& expert) {
  FW_TRY(auto locked, eligibility_.LockedProjects(expert.user_id));
  const std::int64_t now = clock_.Now();
  return db_.Read<std::vector<LockedProject>>(
      [&](soci::session& s) -> Result<std::vector<LockedProject>> {
        std::vector<LockedProject> out;
        for (experts::Eligibility::Locked& l : locked) {
          out.push_back({Describe(s, l.project, expert.user_id, now), std::move(l.unmet)});
        }
        return out;
      });
}

}  // namespace fw::work
