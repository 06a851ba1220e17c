#include "pay/time.h"

#include <algorithm>
#include <utility>

#include "base/money.h"
#include "db/query.h"

namespace fw::pay {

std::string_view DisputeStatusName(DisputeStatus s) {
  switch (s) {
    case DisputeStatus::kOpen:
      return "open";
    case DisputeStatus::kAccepted:
      return "accepted";
    case DisputeStatus::kRejected:
      return "rejected";
  }
  return "open";
}

bool ParseDisputeStatus(std::string_view name, DisputeStatus* out) {
  for (DisputeStatus s : {DisputeStatus::kOpen, DisputeStatus::kAccepted,
                          DisputeStatus::kRejected}) {
    if (DisputeStatusName(s) == name) {
      *out = s;
      return true;
    }
  }
  return false;
}

namespace {

// A dispute's columns, as every read names them, with its project's name and, for operators'
// lists, its lab's name and its expert's e-mail and name.
#define FW_DISPUTE_COLUMNS                                                                    \
  "d.id, d.org_id, d.project_id, d.assignment_id, d.expert_id, p.name, o.name, u.email, "   \
  "u.name, d.credited_seconds, d.claimed_seconds, d.comment, d.status, d.allowed_seconds, " \
  "d.resolution, d.resolved_by, d.resolved_at, d.transaction_id, d.created_at "             \
  "FROM time_disputes d JOIN projects p ON p.id = d.project_id "                            \
  "JOIN orgs o ON o.id = d.org_id JOIN users u ON u.id = d.expert_id "

struct DisputeRow {
  long long id = 0, org = 0, project = 0, assignment = 0, expert = 0, credited = 0, claimed = 0,
            created = 0;
  std::string project_name, org_name, email, name, comment, status;
  std::optional<long long> allowed, resolved_by, resolved_at, transaction;
  std::optional<std::string> resolution;

  Dispute ToDispute() const {
    Dispute d;
    d.id = id;
    d.org_id = org;
    d.project_id = project;
    d.assignment_id = assignment;
    d.expert_id = expert;
    d.project_name = project_name;
    d.org_name = org_name;
    d.expert_email = email;
    d.expert_name = name;
    d.credited_seconds = credited;
    d.claimed_seconds = claimed;
    d.comment = comment;
    ParseDisputeStatus(status, &d.status);
    d.allowed_seconds = allowed;
    d.resolution = resolution.value_or("");
    d.resolved_by = resolved_by.value_or(0);
    d.resolved_at = resolved_at.value_or(0);
    d.transaction_id = transaction;
    d.created_at = created;
    return d;
  }
};

// Reads every row of `q` (a statement selecting FW_DISPUTE_COLUMNS) as disputes.
std::vector<Dispute> ReadDisputes(db::Query& q) {
  std::vector<Dispute> out;
  DisputeRow r;
  q.Each(
      [&] {
        out.push_back(r.ToDispute());
        return true;
      },
      r.id, r.org, r.project, r.assignment, r.expert, r.project_name, r.org_name, r.email, r.name,
      r.credited, r.claimed, r.comment, r.status, r.allowed, r.resolution, r.resolved_by,
      r.resolved_at, r.transaction, r.created);
  return out;
}

Result<std::string> CheckComment(std::string comment, bool required) {
  if (required && comment.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidArgument("a comment is required", {{"comment", "required", "say why"}});
  }
  if (comment.size() > kMaxDisputeCommentBytes) {
    return InvalidArgument(
        "the comment is too long",
        {{"comment", "too_long", "at most " + std::to_string(kMaxDisputeCommentBytes) + " bytes"}});
  }
  return comment;
}

}  // namespace

AwardPoster PayFromLedger(PayService& pay) {
  return [&pay](soci::session& s, const DisputeAward& award)
             -> Result<std::optional<std::int64_t>> {
    const Dispute& d = *award.dispute;
    FW_TRY(std::vector<Rate> rates, pay.Rates({d.project_id}));
    if (rates.empty() || rates.front().hourly_minor == 0 || award.extra_seconds <= 0) {
      return std::optional<std::int64_t>();
    }
    FW_TRY(std::int64_t amount, CostOfSeconds(rates.front().hourly_minor, award.extra_seconds));
    if (amount == 0) return std::optional<std::int64_t>();
    NewTransaction t;
    t.kind = std::string(kAdjustment);
    t.reference = "dispute:" + std::to_string(d.id);
    t.currency = rates.front().currency;
    t.reason = "time dispute: " + d.comment;
    t.author_id = award.resolver;
    t.org_id = d.org_id;
    t.project_id = d.project_id;
    t.expert_id = d.expert_id;
    t.seconds = award.extra_seconds;
    t.postings = {{{AccountKind::kExpertPayable, d.expert_id}, -amount},
                  {{AccountKind::kPlatformRevenue, 0}, amount}};
    FW_TRY(PostResult posted, pay.ledger().Post(s, t));
    return std::optional<std::int64_t>(posted.transaction_id);
  };
}

TimeService::TimeService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

Status TimeService::Record(soci::session& s, const work::ActiveTimeCounted& e) {
  long long end = e.at, start = e.at - e.seconds;
  while (end > start) {
    long long day = DayOf(end - 1);
    long long part = end - std::max(start, day);
    db::Query(s,
              "INSERT INTO time_entries (assignment_id, day, expert_id, org_id, project_id, "
              "seconds) VALUES (:a, :d, :e, :o, :p, :s) ON CONFLICT (assignment_id, day) "
              "DO UPDATE SET seconds = time_entries.seconds + excluded.seconds")
        .Bind(static_cast<long long>(e.assignment_id))
        .Bind(day)
        .Bind(static_cast<long long>(e.expert_id))
        .Bind(static_cast<long long>(e.org_id))
        .Bind(static_cast<long long>(e.project_id))
        .Bind(part)
        .Run();
    end -= part;
  }
  return {};
}

Result<Timesheet> TimeService::TimesheetOf(const Caller& expert,
                                           std::optional<std::int64_t> from_time,
                                           std::optional<std::int64_t> to_time) {
  Timesheet sheet;
  sheet.to = DayOf(to_time.value_or(clock_.Now()));
  sheet.from = DayOf(from_time.value_or(sheet.to - 13 * kSecondsPerDay));
  const long long from_day = sheet.from, to_day = sheet.to;
  if (to_day < from_day) {
    return InvalidArgument("the period ends before it starts",
                           {{"to", "out_of_range", "on or after from"}});
  }
  if ((to_day - from_day) / kSecondsPerDay >= kMaxTimesheetDays) {
    return InvalidArgument(
        "the period is too long",
        {{"from", "out_of_range", "at most " + std::to_string(kMaxTimesheetDays) + " days"}});
  }
  long long e = expert.user_id, from = from_day, to = to_day;
  FW_TRY(sheet.entries, db_.Read<std::vector<TimeEntry>>(
      [&](soci::session& s) -> Result<std::vector<TimeEntry>> {
        std::vector<TimeEntry> out;
        TimeEntry t;
        long long assignment = 0, project = 0, day = 0, seconds = 0;
        std::optional<std::string> dispute;
        db::Query(s,
                  "SELECT t.assignment_id, t.project_id, p.name, t.day, t.seconds, a.state, "
                  "(SELECT d.status FROM time_disputes d WHERE d.assignment_id = t.assignment_id "
                  "ORDER BY d.id DESC LIMIT 1) "
                  "FROM time_entries t JOIN projects p ON p.id = t.project_id "
                  "JOIN assignments a ON a.id = t.assignment_id "
                  "WHERE t.expert_id = :e AND t.day >= :f AND t.day <= :t "
                  "ORDER BY t.day DESC, t.project_id, t.assignment_id")
            .Bind(e)
            .Bind(from)
            .Bind(to)
            .Each(
                [&] {
                  t.assignment_id = assignment;
                  t.project_id = project;
                  t.day = day;
                  t.seconds = seconds;
                  t.dispute_status = dispute.value_or("");
                  out.push_back(t);
                  return true;
                },
                assignment, project, t.project_name, day, seconds, t.state, dispute);
        return out;
      }));
  return sheet;
}

Result<Dispute> TimeService::Open(const Caller& expert, std::int64_t assignment_id,
                                  std::int64_t claimed_seconds, std::string comment) {
  FW_TRY(comment, CheckComment(std::move(comment), true));
  const long long now = clock_.Now(), e = expert.user_id, a = assignment_id;
  FW_TRY(long long id, db_.Write<long long>([&](soci::session& s) -> Result<long long> {
    long long org = 0, project = 0, leased = 0, active = 0;
    std::string state;
    std::optional<long long> finished;
    if (!db::Query(s,
                   "SELECT org_id, project_id, leased_at, active_seconds, state, finished_at "
                   "FROM assignments WHERE id = :a AND expert_id = :e")
             .Bind(a)
             .Bind(e)
             .One(org, project, leased, active, state, finished)) {
      return Fail(Error(ErrorCode::kNotFound, "no such assignment",
                        {{"assignment_id", "not_found", "not one of yours"}}));
    }
    if (state == "active" || !finished) {
      return Conflict("the assignment is still running; dispute its time once it ends",
                      "assignment_active");
    }
    if (claimed_seconds <= active) {
      return InvalidArgument(
          "claim more than the credited time",
          {{"seconds", "not_more", "more than the " + std::to_string(active) + " s credited"}});
    }
    long long wall = *finished - leased;
    if (claimed_seconds > wall) {
      return InvalidArgument(
          "the claim is longer than the assignment lasted",
          {{"seconds", "over_wall_time", "at most " + std::to_string(wall) + " s"}});
    }
    long long open = 0;
    if (db::Query(s,
                  "SELECT id FROM time_disputes WHERE assignment_id = :a AND status = 'open'")
            .Bind(a)
            .One(open)) {
      return Conflict("this assignment's time is already disputed", "dispute_open");
    }
    long long id = 0;
    db::Query(s,
              "INSERT INTO time_disputes (org_id, project_id, assignment_id, expert_id, "
              "credited_seconds, claimed_seconds, comment, status, created_at) "
              "VALUES (:o, :p, :a, :e, :c, :cl, :m, 'open', :n) RETURNING id")
        .Bind(org)
        .Bind(project)
        .Bind(a)
        .Bind(e)
        .Bind(active)
        .Bind(static_cast<long long>(claimed_seconds))
        .Bind(comment)
        .Bind(now)
        .One(id);
    return id;
  }));
  return Load(id);
}

Result<Dispute> TimeService::Load(std::int64_t dispute_id) {
  long long id = dispute_id;
  FW_TRY(auto rows, db_.Read<std::vector<Dispute>>(
                        [&](soci::session& s) -> Result<std::vector<Dispute>> {
                          return ReadDisputes(
                              db::Query(s, "SELECT " FW_DISPUTE_COLUMNS "WHERE d.id = :d")
                                  .Bind(id));
                        }));
  if (rows.empty()) return NotFound("no such dispute");
  return std::move(rows.front());
}

Result<std::vector<Dispute>> TimeService::Mine(const Caller& expert) {
  long long e = expert.user_id;
  return db_.Read<std::vector<Dispute>>([&](soci::session& s) -> Result<std::vector<Dispute>> {
    return ReadDisputes(db::Query(s,
                                  "SELECT " FW_DISPUTE_COLUMNS
                                  "WHERE d.expert_id = :e ORDER BY d.id DESC LIMIT 500")
                            .Bind(e));
  });
}

Result<std::vector<Dispute>> TimeService::List(std::optional<DisputeStatus> status) {
  return db_.Read<std::vector<Dispute>>([&](soci::session& s) -> Result<std::vector<Dispute>> {
    if (!status) {
      db::Query all(s, "SELECT " FW_DISPUTE_COLUMNS "ORDER BY d.id DESC LIMIT 500");
      return ReadDisputes(all);
    }
    std::string name(DisputeStatusName(*status));
    if (*status == DisputeStatus::kOpen) {
      return ReadDisputes(
          db::Query(s, "SELECT " FW_DISPUTE_COLUMNS "WHERE d.status = :s ORDER BY d.id LIMIT 500")
              .Bind(name));
    }
    return ReadDisputes(
        db::Query(s,
                  "SELECT " FW_DISPUTE_COLUMNS "WHERE d.status = :s ORDER BY d.id DESC LIMIT 500")
            .Bind(name));
  });
}

Result<Dispute> TimeService::Resolve(const Caller& op, std::int64_t dispute_id, bool accept,
                                     std::optional<std::int64_t> allowed_seconds,
                                     std::string comment) {
  FW_TRY(comment, CheckComment(std::move(comment), !accept));
  FW_TRY(Dispute d, Load(dispute_id));
  if (d.status != DisputeStatus::kOpen) {
    return Conflict("this dispute was resolved already", "already_resolved");
  }
  long long allowed = allowed_seconds.value_or(d.claimed_seconds);
  if (accept && (allowed <= d.credited_seconds || allowed > d.claimed_seconds)) {
    return InvalidArgument("allow more than was credited and no more than was claimed",
                           {{"seconds", "out_of_range",
                             "from " + std::to_string(d.credited_seconds + 1) + " to " +
                                 std::to_string(d.claimed_seconds)}});
  }
  const long long now = clock_.Now(), id = d.id, by = op.user_id;
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    std::optional<long long> txn;
    if (accept && award_) {
      DisputeAward award{&d, allowed - d.credited_seconds, op.user_id, now};
      FW_TRY(auto posted, award_(s, award));
      if (posted) txn = *posted;
    }
    std::optional<long long> allowed_col;
    if (accept) allowed_col = allowed;
    long long changed =
        db::Query(s,
                  "UPDATE time_disputes SET status = :s, allowed_seconds = :a, resolution = :r, "
                  "resolved_by = :b, resolved_at = :n, transaction_id = :t "
                  "WHERE id = :id AND status = 'open'")
            .Bind(std::string(accept ? "accepted" : "rejected"))
            .Bind(allowed_col)
            .Bind(comment)
            .Bind(by)
            .Bind(now)
            .Bind(txn)
            .Bind(id)
            .Run();
    // Another operator resolved it between the read and this write: this one stores nothing.
    if (changed != 1) return Conflict("this dispute was resolved already", "already_resolved");
    return true;
  }));
  return Load(dispute_id);
}

}  // namespace fw::pay
