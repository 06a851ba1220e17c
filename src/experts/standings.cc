#include "experts/standings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "db/query.h"

namespace fw::experts {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A share as a whole percentage. Rounded down for the expert's own figure, so a share just
// under a threshold never reads as equal to it.
int PercentDown(double share) { return static_cast<int>(std::floor(share * 100 + 1e-9)); }
int PercentNearest(double share) { return static_cast<int>(std::lround(share * 100)); }

// Shares compared with a little slack, so 7 of 10 meets 0.7 however the division rounds.
bool Below(double share, double threshold) { return share + 1e-9 < threshold; }

#define FW_STANDING_COLUMNS                                                                 \
  "st.project_id, st.expert_id, st.org_id, p.name, o.name, u.email, u.name, st.judgments, " \
  "st.gold_total, st.gold_correct, st.skill, st.paused, st.reason, st.since, st.changed_at, " \
  "st.reviews, st.reviews_accepted "
#define FW_STANDING_FROM                                                                    \
  "FROM expert_standings st JOIN projects p ON p.id = st.project_id JOIN orgs o ON o.id = " \
  "st.org_id JOIN users u ON u.id = st.expert_id "

struct StandingRow {
  long long project_id = 0, expert_id = 0, org_id = 0;
  std::string project_name, org_name, email, name;
  long long judgments = 0, gold_total = 0, gold_correct = 0;
  std::optional<double> skill;
  int paused = 0;
  std::string reason;
  long long since = 0, changed_at = 0;
  long long reviews = 0, reviews_accepted = 0;
};
#define FW_STANDING_OUT(r)                                                                       \
  r.project_id, r.expert_id, r.org_id, r.project_name, r.org_name, r.email, r.name, r.judgments, \
      r.gold_total, r.gold_correct, r.skill, r.paused, r.reason, r.since, r.changed_at,     \
      r.reviews, r.reviews_accepted

ExpertStanding ToStanding(const StandingRow& r, bool with_people) {
  ExpertStanding s;
  s.project_id = r.project_id;
  s.expert_id = r.expert_id;
  s.org_id = r.org_id;
  s.project_name = r.project_name;
  if (with_people) {
    s.org_name = r.org_name;
    s.expert_email = r.email;
    s.expert_name = r.name;
  }
  s.judgments = r.judgments;
  s.gold_total = r.gold_total;
  s.gold_correct = r.gold_correct;
  s.skill = r.skill;
  s.paused = r.paused != 0;
  s.reason = r.reason;
  s.since = r.since;
  s.changed_at = r.changed_at;
  s.reviews = r.reviews;
  s.reviews_accepted = r.reviews_accepted;
  return s;
}

// Reads rows of FW_STANDING_COLUMNS from `q`.
std::vector<ExpertStanding> ReadStandings(db::Query q, bool with_people) {
  std::vector<ExpertStanding> out;
  StandingRow r;
  q.Each(
      [&] {
        out.push_back(ToStanding(r, with_people));
        return true;
      },
      FW_STANDING_OUT(r));
  return out;
}

std::optional<ExpertStanding> ReadOne(soci::session& s, std::int64_t expert_id,
                                      std::int64_t project_id, bool with_people) {
  StandingRow r;
  if (!db::Query(s, "SELECT " FW_STANDING_COLUMNS FW_STANDING_FROM
                    "WHERE st.project_id = :p AND st.expert_id = :e")
           .Bind(static_cast<long long>(project_id))
           .Bind(static_cast<long long>(expert_id))
           .One(FW_STANDING_OUT(r))) {
    return std::nullopt;
  }
  return ToStanding(r, with_people);
}

// The project's thresholds and lab; nullopt when there is no such project.
std::optional<std::pair<std::int64_t, StandingThresholds>> ThresholdsOf(soci::session& s,
                                                                        std::int64_t project_id) {
  long long org_id = 0;
  StandingThresholds t;
  if (!db::Query(
           s,
           "SELECT org_id, min_gold_accuracy, min_skill, standing_min_judgments FROM projects "
           "WHERE id = :p")
           .Bind(static_cast<long long>(project_id))
           .One(org_id, t.min_gold_accuracy, t.min_skill, t.min_judgments)) {
    return std::nullopt;
  }
  return std::make_pair(static_cast<std::int64_t>(org_id), t);
}

// Adds the counts to the expert's standing on the project, starting it (its window from now)
// when there is none: every submission is counted in its own transaction, and the migration
// that added the window started the standings of the work stored before.
void Count(soci::session& s, std::int64_t org_id, std::int64_t project_id, std::int64_t expert_id,
           long long judgments, long long gold, long long correct, UnixSeconds now) {
  db::Query(s,
            "INSERT INTO expert_standings (project_id, expert_id, org_id, gold_total, "
            "gold_correct, judgments, window_judgments, paused, reason, since, changed_at) VALUES "
            "(:p, :e, :o, :gt, :gc, :n, :w, 0, '', :since, :now) ON CONFLICT (project_id, "
            "expert_id) DO UPDATE SET judgments = expert_standings.judgments + :j, "
            "window_judgments = expert_standings.window_judgments + :wj, gold_total = "
            "expert_standings.gold_total + :g, gold_correct = expert_standings.gold_correct + :c")
      .Bind(static_cast<long long>(project_id))
      .Bind(static_cast<long long>(expert_id))
      .Bind(static_cast<long long>(org_id))
      .Bind(gold)
      .Bind(correct)
      .Bind(judgments)
      .Bind(judgments)
      .Bind(static_cast<long long>(now))
      .Bind(static_cast<long long>(now))
      .Bind(judgments)
      .Bind(judgments)
      .Bind(gold)
      .Bind(correct)
      .Run();
}

// Pauses the expert on the project with `reason` unless already paused; records the change.
// Returns whether it paused them.
bool Pause(soci::session& s, std::int64_t org_id, std::int64_t project_id, std::int64_t expert_id,
           const std::string& reason, UnixSeconds now) {
  const long long p = project_id, e = expert_id, at = now;
  if (db::Query(s,
                "UPDATE expert_standings SET paused = 1, reason = :r, changed_at = :now WHERE "
                "project_id = :p AND expert_id = :e AND paused = 0")
          .Bind(reason)
          .Bind(at)
          .Bind(p)
          .Bind(e)
          .Run() == 0) {
    return false;
  }
  db::Query(s,
            "INSERT INTO standing_changes (project_id, expert_id, org_id, action, reason, by_user, "
            "at) VALUES (:p, :e, :o, 'paused', :r, NULL, :at)")
      .Bind(p)
      .Bind(e)
      .Bind(static_cast<long long>(org_id))
      .Bind(reason)
      .Bind(at)
      .Run();
  return true;
}

}  // namespace

std::optional<double> ExpertStanding::GoldAccuracy() const {
  if (gold_total <= 0) return std::nullopt;
  return static_cast<double>(gold_correct) / static_cast<double>(gold_total);
}

std::optional<std::string> GoldPauseReason(const ExpertStanding& s, const StandingThresholds& t) {
  if (!t.min_gold_accuracy || s.gold_total < std::max(t.min_judgments, 1)) return std::nullopt;
  const double accuracy = *s.GoldAccuracy();
  if (!Below(accuracy, *t.min_gold_accuracy)) return std::nullopt;
  return fmt::format(
      "paused: your gold accuracy on this project is {}% (below the project's {}%) over {} gold "
      "tasks",
      PercentDown(accuracy), PercentNearest(*t.min_gold_accuracy), s.gold_total);
}

std::optional<std::string> SkillPauseReason(double skill, std::int64_t window_judgments,
                                            const StandingThresholds& t) {
  if (!t.min_skill || window_judgments < std::max(t.min_judgments, 1)) return std::nullopt;
  if (!Below(skill, *t.min_skill)) return std::nullopt;
  return fmt::format(
      "paused: the quality estimate of your skill on this project is {}% (below the project's "
      "{}%) after {} judgments",
      PercentDown(skill), PercentNearest(*t.min_skill), window_judgments);
}

StandingService::StandingService(db::Database& db, ExpertService& experts,
                                 const tenancy::Tenancy& tenancy)
    : db_(db), experts_(experts), clock_(experts.clock()), tenancy_(tenancy) {}

void StandingService::RecordSubmission(soci::session& s, std::int64_t org_id,
                                       std::int64_t project_id, std::int64_t expert_id,
                                       std::optional<bool> gold_correct) {
  const UnixSeconds now = clock_.Now();
  const long long gold = gold_correct ? 1 : 0;
  const long long correct = gold_correct && *gold_correct ? 1 : 0;
  Count(s, org_id, project_id, expert_id, 1, gold, correct, now);
  if (!gold_correct) return;  // only a gold check can fall below the gold threshold
  ExpertStanding st;
  int paused = 0;
  StandingThresholds t;
  long long gold_total = 0, gold_right = 0;
  if (!db::Query(s,
                 "SELECT st.gold_total, st.gold_correct, st.paused, p.min_gold_accuracy, "
                 "p.standing_min_judgments FROM expert_standings st JOIN projects p ON p.id = "
                 "st.project_id WHERE st.project_id = :p AND st.expert_id = :e")
           .Bind(static_cast<long long>(project_id))
           .Bind(static_cast<long long>(expert_id))
           .One(gold_total, gold_right, paused, t.min_gold_accuracy, t.min_judgments)) {
    return;
  }
  if (paused) return;
  st.gold_total = gold_total;
  st.gold_correct = gold_right;
  if (auto reason = GoldPauseReason(st, t)) {
    Pause(s, org_id, project_id, expert_id, *reason, now);
  }
}

void StandingService::RecordReview(soci::session& s, std::int64_t org_id, std::int64_t project_id,
                                   std::int64_t expert_id, bool accepted) {
  auto add = [&] {
    return db::Query(s,
                     "UPDATE expert_standings SET reviews = reviews + 1, reviews_accepted = "
                     "reviews_accepted + :a WHERE project_id = :p AND expert_id = :e")
        .Bind(accepted ? 1 : 0)
        .Bind(static_cast<long long>(project_id))
        .Bind(static_cast<long long>(expert_id))
        .Run();
  };
  if (add() == 1) return;
  Count(s, org_id, project_id, expert_id, 0, 0, 0, clock_.Now());
  add();
}

Result<int> StandingService::RecordSkills(std::int64_t project_id,
                                          const std::vector<SkillEstimate>& estimates) {
  return db_.Write<int>([&](soci::session& s) -> Result<int> {
    auto project = ThresholdsOf(s, project_id);
    if (!project) return 0;
    const auto& [org_id, t] = *project;
    const UnixSeconds now = clock_.Now();
    const long long p = project_id;
    int paused_now = 0;
    for (const SkillEstimate& est : estimates) {
      if (!(est.answers > 0) || !std::isfinite(est.skill)) continue;
      const double skill = std::clamp(est.skill, 0.0, 1.0);
      const long long e = est.expert_id;
      const char* kSetSkill =
          "UPDATE expert_standings SET skill = :s WHERE project_id = :p AND expert_id = :e";
      if (db::Query(s, kSetSkill).Bind(skill).Bind(p).Bind(e).Run() == 0) {
        Count(s, org_id, project_id, est.expert_id, 0, 0, 0, now);
        db::Query(s, kSetSkill).Bind(skill).Bind(p).Bind(e).Run();
      }
      if (!t.min_skill || !Below(skill, *t.min_skill)) continue;
      int paused = 0;
      long long window = 0;
      db::Query(s,
                "SELECT paused, window_judgments FROM expert_standings WHERE project_id = :p AND "
                "expert_id = :e")
          .Bind(p)
          .Bind(e)
          .One(paused, window);
      if (paused) continue;
      if (auto reason = SkillPauseReason(skill, window, t)) {
        if (Pause(s, org_id, project_id, est.expert_id, *reason, now)) ++paused_now;
      }
    }
    return paused_now;
  });
}

Result<ExpertStanding> StandingService::Reinstate(const Caller& op, std::int64_t expert_id,
                                                  std::int64_t project_id,
                                                  std::string_view reason) {
  const std::string why(Trim(reason));
  if (why.empty()) {
    return Unprocessable("reason: say why the expert is reinstated",
                         {{"reason", "required", "recorded with the reinstatement"}});
  }
  if (why.size() > kMaxStandingReasonBytes) {
    return Unprocessable(
        "reason: too long",
        {{"reason", "too_long", fmt::format("at most {} bytes", kMaxStandingReasonBytes)}});
  }
  return db_.Write<ExpertStanding>([&](soci::session& s) -> Result<ExpertStanding> {
    const long long p = project_id, e = expert_id;
    long long org_id = 0;
    int paused = 0;
    if (!db::Query(s,
                   "SELECT org_id, paused FROM expert_standings WHERE project_id = :p AND "
                   "expert_id = :e")
             .Bind(p)
             .Bind(e)
             .One(org_id, paused)) {
      return NotFound("no such standing: the expert has not worked on this project");
    }
    if (!paused) return Conflict("the expert is not paused on this project", "not_paused");
    const long long now = clock_.Now();
    db::Query(s,
              "UPDATE expert_standings SET paused = 0, reason = '', gold_total = 0, gold_correct "
              "= 0, window_judgments = 0, skill = NULL, since = :since, changed_at = :now WHERE "
              "project_id = :p AND "
              "expert_id = :e")
        .Bind(now)
        .Bind(now)
        .Bind(p)
        .Bind(e)
        .Run();
    db::Query(s,
              "INSERT INTO standing_changes (project_id, expert_id, org_id, action, reason, "
              "by_user, at) VALUES (:p, :e, :o, 'reinstated', :r, :by, :at)")
        .Bind(p)
        .Bind(e)
        .Bind(org_id)
        .Bind(why)
        .Bind(static_cast<long long>(op.user_id))
        .Bind(now)
        .Run();
    auto st = ReadOne(s, expert_id, project_id, true);
    FW_CHECK(st.has_value());
    return *st;
  });
}

Result<std::vector<ExpertStanding>> StandingService::Mine(const Caller& expert) {
  return db_.Read<std::vector<ExpertStanding>>(
      [&](soci::session& s) -> Result<std::vector<ExpertStanding>> {
        return ReadStandings(
            std::move(db::Query(s, "SELECT " FW_STANDING_COLUMNS FW_STANDING_FROM
                                   "WHERE st.expert_id = :e ORDER BY st.paused DESC, p.name, "
                                   "st.project_id")
                          .Bind(static_cast<long long>(expert.user_id))),
            false);
      });
}

Result<std::vector<ExpertStanding>> StandingService::List(bool paused_only) {
  return db_.Read<std::vector<ExpertStanding>>(
      [&](soci::session& s) -> Result<std::vector<ExpertStanding>> {
        const char* sql = paused_only
                              ? "SELECT " FW_STANDING_COLUMNS FW_STANDING_FROM
                                "WHERE st.paused = 1 ORDER BY st.changed_at DESC, st.project_id, "
                                "st.expert_id LIMIT :n"
                              : "SELECT " FW_STANDING_COLUMNS FW_STANDING_FROM
                                "ORDER BY st.changed_at DESC, st.project_id, st.expert_id LIMIT :n";
        return ReadStandings(
            std::move(db::Query(s, sql).Bind(static_cast<long long>(kMaxStandingsListed))), true);
      });
}

Result<ExpertStanding> StandingService::Get(std::int64_t expert_id, std::int64_t project_id) {
  return db_.Read<ExpertStanding>([&](soci::session& s) -> Result<ExpertStanding> {
    auto st = ReadOne(s, expert_id, project_id, true);
    if (!st) return NotFound("no such standing");
    return *st;
  });
}

Result<Workforce> StandingService::WorkforceOf(const Caller& lab, std::int64_t project_id) {
  return db_.ReadSnapshot<Workforce>([&](soci::session& s) -> Result<Workforce> {
    const tenancy::LabScope scope = tenancy_.Scope(s, lab.org_id);
    const long long p = project_id;
    Workforce out;
    std::optional<std::string> domain;
    if (!scope.Query("SELECT domain FROM projects WHERE org_id = :org AND id = :p")
             .Bind(p)
             .One(domain)) {
      return NotFound("no such project");
    }
    out.domain = domain.value_or("");
    const UnixSeconds now = clock_.Now();
    std::map<std::int64_t, WorkforceMember> members;
    StandingRow r;
    scope
        .Query(
            "SELECT st.project_id, st.expert_id, st.org_id, p.name, st.judgments, st.gold_total, "
            "st.gold_correct, st.skill, st.paused, st.reason, st.since, st.changed_at, "
            "st.reviews, st.reviews_accepted FROM expert_standings st JOIN projects p ON p.id = "
            "st.project_id WHERE st.org_id = :org AND st.project_id = :p")
        .Bind(p)
        .Each(
            [&] {
              WorkforceMember& m = members[r.expert_id];
              m.expert_id = r.expert_id;
              m.standing = ToStanding(r, false);
              return true;
            },
            r.project_id, r.expert_id, r.org_id, r.project_name, r.judgments, r.gold_total,
            r.gold_correct, r.skill, r.paused, r.reason, r.since, r.changed_at, r.reviews,
            r.reviews_accepted);
    // Experts working their first task here have no standing yet.
    long long leaseholder = 0;
    scope
        .Query(
            "SELECT DISTINCT expert_id FROM assignments WHERE org_id = :org AND project_id = :p "
            "AND state = 'active' AND lease_expires_at > :now")
        .Bind(p)
        .Bind(static_cast<long long>(now))
        .Each(
            [&] {
              WorkforceMember& m = members[leaseholder];
              if (m.expert_id == 0) {
                m.expert_id = leaseholder;
                m.standing.project_id = project_id;
                m.standing.expert_id = leaseholder;
                m.standing.org_id = lab.org_id;
              }
              return true;
            },
            leaseholder);
    std::vector<std::int64_t> ids;
    for (const auto& [id, m] : members) ids.push_back(id);
    auto credentials = CredentialSummaries(s, ids, now);
    std::map<std::optional<int>, int> mix;
    for (auto& [id, m] : members) {
      FW_TRY(std::vector<Qualification> quals, experts_.Qualifications(id, &s));
      if (!out.domain.empty()) {
        if (const Qualification* q = BestFor(quals, out.domain, now)) m.qualification = *q;
      }
      if (auto it = credentials.find(id); it != credentials.end()) {
        m.credentials = std::move(it->second);
      }
      ++mix[m.qualification ? std::optional<int>(m.qualification->level) : std::nullopt];
      out.experts.push_back(std::move(m));
    }
    // The highest level first; the unqualified last.
    for (auto it = mix.rbegin(); it != mix.rend(); ++it) {
      if (it->first) out.mix.push_back({it->first, it->second});
    }
    if (auto none = mix.find(std::nullopt); none != mix.end()) {
      out.mix.push_back({std::nullopt, none->second});
    }
    return out;
  });
}

}  // namespace fw::experts
