// Standing: the pure pause rules, and StandingService on SQLite and PostgreSQL.

#include "experts/standings.h"

#include <gtest/gtest.h>

#include "db/migrations.h"
#include "db/query.h"
#include "orgs/testing.h"

namespace fw::experts {
namespace {

using orgs::testing::IsError;

// ---- the rules ----

ExpertStanding Gold(std::int64_t total, std::int64_t correct) {
  ExpertStanding s;
  s.gold_total = total;
  s.gold_correct = correct;
  return s;
}

StandingThresholds Thresholds(std::optional<double> gold, std::optional<double> skill,
                              int min_judgments) {
  StandingThresholds t;
  t.min_gold_accuracy = gold;
  t.min_skill = skill;
  t.min_judgments = min_judgments;
  return t;
}

TEST(GoldPauseReason, PausesBelowTheThresholdOnlyOnceTheMinimumOfGoldChecksIsReached) {
  const StandingThresholds t = Thresholds(0.7, std::nullopt, 10);
  EXPECT_FALSE(GoldPauseReason(Gold(9, 0), t)) << "too few gold checks to judge";
  EXPECT_TRUE(GoldPauseReason(Gold(10, 6), t));
  EXPECT_FALSE(GoldPauseReason(Gold(10, 7), t)) << "exactly the threshold is enough";
  EXPECT_FALSE(GoldPauseReason(Gold(20, 20), t));
  EXPECT_FALSE(GoldPauseReason(Gold(50, 0), Thresholds(std::nullopt, 0.9, 1)))
      << "no gold threshold, no gold pause";
  EXPECT_TRUE(GoldPauseReason(Gold(1, 0), Thresholds(0.5, std::nullopt, 0)))
      << "a minimum of 0 still needs one gold check";
  EXPECT_FALSE(GoldPauseReason(Gold(0, 0), Thresholds(0.5, std::nullopt, 0)));
}

TEST(GoldPauseReason, TellsTheExpertTheirAccuracyTheThresholdAndTheCount) {
  auto reason = GoldPauseReason(Gold(12, 6), Thresholds(0.7, std::nullopt, 10));
  ASSERT_TRUE(reason);
  EXPECT_EQ(*reason,
            "paused: your gold accuracy on this project is 50% (below the project's 70%) over 12 "
            "gold tasks");
  // 69.9% reads as 69%, never as the threshold itself.
  reason = GoldPauseReason(Gold(1000, 699), Thresholds(0.7, std::nullopt, 10));
  ASSERT_TRUE(reason);
  EXPECT_NE(reason->find("is 69% (below the project's 70%)"), std::string::npos) << *reason;
}

TEST(SkillPauseReason, PausesBelowTheMinimumSkillOnceTheWindowHoldsEnoughJudgments) {
  const StandingThresholds t = Thresholds(std::nullopt, 0.5, 5);
  EXPECT_FALSE(SkillPauseReason(0.2, 4, t));
  auto reason = SkillPauseReason(0.42, 5, t);
  ASSERT_TRUE(reason);
  EXPECT_EQ(*reason,
            "paused: the quality estimate of your skill on this project is 42% (below the "
            "project's 50%) after 5 judgments");
  EXPECT_FALSE(SkillPauseReason(0.5, 50, t));
  EXPECT_FALSE(SkillPauseReason(0.1, 50, Thresholds(0.9, std::nullopt, 1)));
}

// ---- the service ----

class StandingServiceTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    experts_ = std::make_unique<ExpertService>(*db_, clock_, ids_);
    standings_ = std::make_unique<StandingService>(*db_, *experts_, tenancy_);
    op_ = orgs::testing::ServicesTest::CallerOf(MakeUser("op@example.org", Role::kOperator));
    lab_ = MakeLab("aurora");
    other_lab_ = MakeLab("borealis");
    expert_ = MakeUser("ada@example.org", Role::kExpert).id;
  }

  // A project of `org` in physics (level 3) with the given thresholds.
  std::int64_t Project(std::int64_t org, const std::string& name, std::optional<double> gold,
                       std::optional<double> skill, int min_judgments) {
    auto id = db_->Write<long long>([&](soci::session& s) -> Result<long long> {
      long long id = 0;
      db::Query(s,
                "INSERT INTO projects (org_id, name, template, domain, min_level, lease_seconds, "
                "created_at, updated_at, min_gold_accuracy, min_skill, standing_min_judgments) "
                "VALUES (:o, :n, '{}', 'physics', 3, 600, 1, 1, :g, :s, :m) RETURNING id")
          .Bind(static_cast<long long>(org))
          .Bind(name)
          .Bind(gold)
          .Bind(skill)
          .Bind(min_judgments)
          .One(id);
      return id;
    });
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(0);
  }

  std::int64_t OrgOf(std::int64_t project) {
    return QueryInt("SELECT org_id FROM projects WHERE id = " + std::to_string(project));
  }

  // Stores a submission of `expert` on `project` the way the work room does (an item, its
  // assignment, the submission) and counts it in the same transaction.
  void Submit(std::int64_t project, std::int64_t expert, std::optional<bool> gold_correct = {}) {
    const long long org = OrgOf(project), now = clock_.Now();
    const int gold = gold_correct ? 1 : 0;
    std::optional<long long> correct;
    if (gold_correct) correct = *gold_correct ? 1 : 0;
    auto r = db_->Write<bool>([&](soci::session& s) -> Result<bool> {
      long long item = 0, assignment = 0;
      db::Query(s,
                "INSERT INTO items (org_id, project_id, payload, is_gold, created_at) VALUES (:o, "
                ":p, '{}', :g, :c) RETURNING id")
          .Bind(org)
          .Bind(static_cast<long long>(project))
          .Bind(gold)
          .Bind(now)
          .One(item);
      db::Query(s,
                "INSERT INTO assignments (org_id, project_id, item_id, expert_id, is_gold, state, "
                "leased_at, lease_expires_at, last_heartbeat_at, finished_at) VALUES (:o, :p, :i, "
                ":e, :g, 'submitted', :l, :x, :h, :f) RETURNING id")
          .Bind(org)
          .Bind(static_cast<long long>(project))
          .Bind(item)
          .Bind(static_cast<long long>(expert))
          .Bind(gold)
          .Bind(now)
          .Bind(now + 600)
          .Bind(now)
          .Bind(now)
          .One(assignment);
      db::Query(s,
                "INSERT INTO submissions (org_id, project_id, item_id, assignment_id, expert_id, "
                "idempotency_key, answer, template_version, active_seconds, leased_at, "
                "submitted_at, is_gold, gold_correct) VALUES (:o, :p, :i, :a, :e, :k, '{}', 1, 0, "
                ":l, :s, :g, :gc)")
          .Bind(org)
          .Bind(static_cast<long long>(project))
          .Bind(item)
          .Bind(assignment)
          .Bind(static_cast<long long>(expert))
          .Bind("k" + std::to_string(assignment))
          .Bind(now)
          .Bind(now)
          .Bind(gold)
          .Bind(correct)
          .Run();
      standings_->RecordSubmission(s, org, project, expert, gold_correct);
      return true;
    });
    ASSERT_TRUE(r) << r.error().message;
  }

  ExpertStanding StandingOf(std::int64_t expert, std::int64_t project) {
    auto st = standings_->Get(expert, project);
    EXPECT_TRUE(st) << st.error().message;
    return st.value_or(ExpertStanding{});
  }

  long long Changes(std::int64_t project, const std::string& action) {
    return QueryInt("SELECT COUNT(*) FROM standing_changes WHERE project_id = " +
                    std::to_string(project) + " AND action = '" + action + "'");
  }

  std::unique_ptr<ExpertService> experts_;
  std::unique_ptr<StandingService> standings_;
  Caller op_;
  orgs::Lab lab_, other_lab_;
  std::int64_t expert_ = 0;
};

TEST_P(StandingServiceTest, CountsEverySubmissionAndPausesOnLowGoldAccuracyOnceThereAreEnough) {
  const std::int64_t p = Project(lab_.id, "Optics", 0.7, std::nullopt, 4);
  Submit(p, expert_);
  Submit(p, expert_, true);
  Submit(p, expert_, false);
  Submit(p, expert_, false);
  ExpertStanding st = StandingOf(expert_, p);
  EXPECT_EQ(st.judgments, 4);
  EXPECT_EQ(st.gold_total, 3);
  EXPECT_EQ(st.gold_correct, 1);
  EXPECT_FALSE(st.paused) << "three gold checks of the four needed";
  EXPECT_EQ(st.project_name, "Optics");

  Submit(p, expert_, false);
  st = StandingOf(expert_, p);
  EXPECT_TRUE(st.paused);
  EXPECT_EQ(st.reason,
            "paused: your gold accuracy on this project is 25% (below the project's 70%) over 4 "
            "gold tasks");
  EXPECT_EQ(st.changed_at, clock_.Now());
  EXPECT_EQ(Changes(p, "paused"), 1);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM standing_changes WHERE by_user IS NULL"), 1)
      << "the automatic pause names no user";

  // Work still submitted (a lease that ran on) is counted; the pause is not written twice.
  Submit(p, expert_, false);
  st = StandingOf(expert_, p);
  EXPECT_EQ(st.judgments, 6);
  EXPECT_EQ(st.gold_total, 5);
  EXPECT_EQ(Changes(p, "paused"), 1);
}

TEST_P(StandingServiceTest, AProjectWithoutAGoldThresholdNeverPausesOnGold) {
  const std::int64_t p = Project(lab_.id, "Optics", std::nullopt, std::nullopt, 1);
  for (int i = 0; i < 5; ++i) Submit(p, expert_, false);
  ExpertStanding st = StandingOf(expert_, p);
  EXPECT_EQ(st.gold_total, 5);
  EXPECT_EQ(st.gold_correct, 0);
  EXPECT_FALSE(st.paused);
  EXPECT_EQ(Changes(p, "paused"), 0);
}

TEST_P(StandingServiceTest, CountsReviewersDecisionsAndStartsAStandingWhenNeeded) {
  const std::int64_t p = Project(lab_.id, "Optics", std::nullopt, std::nullopt, 1);
  const std::int64_t q = Project(lab_.id, "Mechanics", std::nullopt, std::nullopt, 1);
  Submit(p, expert_);
  auto r = db_->Write<bool>([&](soci::session& s) -> Result<bool> {
    standings_->RecordReview(s, lab_.id, p, expert_, true);
    standings_->RecordReview(s, lab_.id, p, expert_, false);
    standings_->RecordReview(s, lab_.id, q, expert_, true);
    return true;
  });
  ASSERT_TRUE(r) << r.error().message;
  ExpertStanding st = StandingOf(expert_, p);
  EXPECT_EQ(st.reviews, 2);
  EXPECT_EQ(st.reviews_accepted, 1);
  EXPECT_EQ(st.judgments, 1);
  st = StandingOf(expert_, q);
  EXPECT_EQ(st.reviews, 1);
  EXPECT_EQ(st.reviews_accepted, 1);
  EXPECT_EQ(st.judgments, 0);
}

TEST_P(StandingServiceTest, StandingsArePerProject) {
  const std::int64_t p = Project(lab_.id, "Optics", 0.5, std::nullopt, 2);
  const std::int64_t q = Project(other_lab_.id, "Mechanics", 0.5, std::nullopt, 2);
  Submit(p, expert_, false);
  Submit(p, expert_, false);
  Submit(q, expert_, true);
  Submit(q, expert_, true);
  EXPECT_TRUE(StandingOf(expert_, p).paused);
  EXPECT_FALSE(StandingOf(expert_, q).paused);
  EXPECT_EQ(StandingOf(expert_, q).org_id, other_lab_.id);
}

// Work stored before standings were kept: the migration that added the window starts every
// expert's standing from the submissions, its window from the first of them.
TEST_P(StandingServiceTest, TheWindowMigrationStartsStandingsFromTheStoredSubmissions) {
  const std::int64_t p = Project(lab_.id, "Optics", 0.7, std::nullopt, 3);
  Submit(p, expert_, false);
  const UnixSeconds first = clock_.Now();
  clock_.Advance(100);
  Submit(p, expert_);
  Exec("DELETE FROM expert_standings");
  auto migrated = db_->Write<bool>([&](soci::session& s) -> Result<bool> {
    for (const db::Migration& m : db::Migrations()) {
      if (m.name != "0013_standing_window") continue;
      for (const std::string& stmt : db::RenderMigration(m.sql, db_->dialect())) {
        if (stmt.find("ALTER TABLE") == std::string::npos) s << stmt;
      }
    }
    return true;
  });
  ASSERT_TRUE(migrated) << migrated.error().message;
  ExpertStanding st = StandingOf(expert_, p);
  EXPECT_EQ(st.judgments, 2);
  EXPECT_EQ(st.gold_total, 1);
  EXPECT_EQ(st.gold_correct, 0);
  EXPECT_EQ(st.since, first);
  EXPECT_FALSE(st.paused);
  Submit(p, expert_, false);
  Submit(p, expert_, false);
  st = StandingOf(expert_, p);
  EXPECT_EQ(st.judgments, 4);
  EXPECT_TRUE(st.paused) << "0 of 3 gold checks";
}

TEST_P(StandingServiceTest, ReinstatingStartsANewWindowSoOldFailuresDoNotPauseAgain) {
  const std::int64_t p = Project(lab_.id, "Optics", 0.7, std::nullopt, 3);
  for (int i = 0; i < 3; ++i) Submit(p, expert_, false);
  ASSERT_TRUE(StandingOf(expert_, p).paused);

  clock_.Advance(3600);
  auto back = standings_->Reinstate(op_, expert_, p, "  retrained on the guidelines  ");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_FALSE(back->paused);
  EXPECT_EQ(back->reason, "");
  EXPECT_EQ(back->gold_total, 0);
  EXPECT_EQ(back->gold_correct, 0);
  EXPECT_FALSE(back->skill);
  EXPECT_EQ(back->judgments, 3) << "the work done stays counted";
  EXPECT_EQ(back->since, clock_.Now());
  EXPECT_EQ(back->changed_at, clock_.Now());
  EXPECT_EQ(back->expert_email, "ada@example.org");
  EXPECT_EQ(Changes(p, "reinstated"), 1);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM standing_changes WHERE action = 'reinstated' AND "
                     "reason = 'retrained on the guidelines' AND by_user = " +
                     std::to_string(op_.user_id)),
            1);

  Submit(p, expert_, false);
  Submit(p, expert_, true);
  EXPECT_FALSE(StandingOf(expert_, p).paused) << "two gold checks in the new window";
  Submit(p, expert_, false);
  ExpertStanding st = StandingOf(expert_, p);
  EXPECT_TRUE(st.paused) << "one of three in the new window";
  EXPECT_NE(st.reason.find("is 33%"), std::string::npos) << st.reason;
  EXPECT_EQ(Changes(p, "paused"), 2);
}

TEST_P(StandingServiceTest, ReinstatingNeedsAReasonAPausedStandingAndAStanding) {
  const std::int64_t p = Project(lab_.id, "Optics", 0.7, std::nullopt, 1);
  EXPECT_TRUE(IsError(standings_->Reinstate(op_, expert_, p, "ok"), ErrorCode::kNotFound))
      << "no standing";
  Submit(p, expert_, true);
  EXPECT_TRUE(IsError(standings_->Reinstate(op_, expert_, p, "ok"), ErrorCode::kConflict, "",
                      "not_paused"));
  Submit(p, expert_, false);
  Submit(p, expert_, false);
  ASSERT_TRUE(StandingOf(expert_, p).paused);
  EXPECT_TRUE(
      IsError(standings_->Reinstate(op_, expert_, p, " \n "), ErrorCode::kUnprocessable, "reason"));
  EXPECT_TRUE(IsError(standings_->Reinstate(op_, expert_, p, std::string(2001, 'x')),
                      ErrorCode::kUnprocessable, "reason"));
  EXPECT_TRUE(StandingOf(expert_, p).paused) << "nothing changed";
  EXPECT_EQ(Changes(p, "reinstated"), 0);
  ASSERT_TRUE(standings_->Reinstate(op_, expert_, p, "appeal upheld"));
  EXPECT_TRUE(IsError(standings_->Reinstate(op_, expert_, p, "again"), ErrorCode::kConflict, "",
                      "not_paused"))
      << "a retry after success";
}

TEST_P(StandingServiceTest, ASkillBelowTheMinimumPausesOnceTheWindowHoldsEnoughJudgments) {
  const std::int64_t p = Project(lab_.id, "Optics", std::nullopt, 0.5, 3);
  const std::int64_t good = MakeUser("grace@example.org", Role::kExpert).id;
  Submit(p, expert_);
  Submit(p, expert_);
  Submit(p, good);
  auto paused = standings_->RecordSkills(p, {{expert_, 0.3, 2}, {good, 0.9, 1}});
  ASSERT_TRUE(paused) << paused.error().message;
  EXPECT_EQ(*paused, 0) << "two judgments of three";
  ExpertStanding st = StandingOf(expert_, p);
  EXPECT_EQ(st.skill, 0.3);
  EXPECT_FALSE(st.paused);

  Submit(p, expert_);
  paused = standings_->RecordSkills(p, {{expert_, 0.3, 3}, {good, 0.9, 1}});
  ASSERT_TRUE(paused);
  EXPECT_EQ(*paused, 1);
  st = StandingOf(expert_, p);
  EXPECT_TRUE(st.paused);
  EXPECT_EQ(st.reason,
            "paused: the quality estimate of your skill on this project is 30% (below the "
            "project's 50%) after 3 judgments");
  EXPECT_EQ(Changes(p, "paused"), 1);
  EXPECT_FALSE(StandingOf(good, p).paused);
  // The next pass changes nothing more.
  EXPECT_EQ(standings_->RecordSkills(p, {{expert_, 0.3, 3}}).value_or(-1), 0);
  EXPECT_EQ(Changes(p, "paused"), 1);

  // Reinstated, the same estimate needs three new judgments before it pauses again.
  clock_.Advance(60);
  ASSERT_TRUE(standings_->Reinstate(op_, expert_, p, "second chance"));
  EXPECT_EQ(standings_->RecordSkills(p, {{expert_, 0.3, 3}}).value_or(-1), 0);
  EXPECT_EQ(StandingOf(expert_, p).skill, 0.3);
  Submit(p, expert_);
  Submit(p, expert_);
  EXPECT_EQ(standings_->RecordSkills(p, {{expert_, 0.3, 5}}).value_or(-1), 0);
  Submit(p, expert_);
  EXPECT_EQ(standings_->RecordSkills(p, {{expert_, 0.3, 6}}).value_or(-1), 1);
}

TEST_P(StandingServiceTest, SkillEstimatesWithoutAnswersOrThresholdOnlyRecord) {
  const std::int64_t p = Project(lab_.id, "Optics", std::nullopt, std::nullopt, 1);
  const std::int64_t q = Project(lab_.id, "Mechanics", std::nullopt, 0.5, 1);
  Submit(p, expert_);
  Submit(q, expert_);
  EXPECT_EQ(standings_->RecordSkills(p, {{expert_, 0.1, 4}}).value_or(-1), 0);
  EXPECT_EQ(StandingOf(expert_, p).skill, 0.1);
  EXPECT_FALSE(StandingOf(expert_, p).paused) << "no minimum skill";
  EXPECT_EQ(standings_->RecordSkills(q, {{expert_, 0.1, 0}}).value_or(-1), 0);
  EXPECT_FALSE(StandingOf(expert_, q).skill) << "an estimate resting on nothing is ignored";
  EXPECT_EQ(standings_->RecordSkills(q, {{expert_, 1.7, 1}}).value_or(-1), 0);
  EXPECT_EQ(StandingOf(expert_, q).skill, 1.0) << "kept in [0,1]";
  EXPECT_EQ(standings_->RecordSkills(999999, {{expert_, 0.1, 4}}).value_or(-1), 0)
      << "no such project";
}

TEST_P(StandingServiceTest, TheExpertSeesTheirOwnAndTheOperatorEveryonesPausedFirst) {
  const std::int64_t p = Project(lab_.id, "Optics", 0.7, std::nullopt, 1);
  const std::int64_t q = Project(other_lab_.id, "Acoustics", 0.7, std::nullopt, 1);
  const std::int64_t other = MakeUser("grace@example.org", Role::kExpert).id;
  Submit(q, expert_, true);
  Submit(p, expert_, false);
  clock_.Advance(10);
  Submit(q, other, false);

  Caller me;
  me.user_id = expert_;
  me.role = Role::kExpert;
  auto mine = standings_->Mine(me);
  ASSERT_TRUE(mine) << mine.error().message;
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].project_name, "Optics") << "paused first";
  EXPECT_TRUE((*mine)[0].paused);
  EXPECT_EQ((*mine)[1].project_name, "Acoustics");
  EXPECT_EQ((*mine)[0].expert_email, "") << "the expert's own list names nobody";

  auto paused = standings_->List(true);
  ASSERT_TRUE(paused) << paused.error().message;
  ASSERT_EQ(paused->size(), 2u);
  EXPECT_EQ((*paused)[0].expert_id, other) << "the last paused first";
  EXPECT_EQ((*paused)[0].expert_email, "grace@example.org");
  EXPECT_EQ((*paused)[0].org_name, "Lab borealis");
  EXPECT_EQ((*paused)[0].project_name, "Acoustics");
  EXPECT_EQ((*paused)[1].expert_id, expert_);
  auto all = standings_->List(false);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
}

TEST_P(StandingServiceTest, TheWorkforceIsTheLabsAndShowsQualificationsCredentialsAndTheMix) {
  const std::int64_t p = Project(lab_.id, "Optics", 0.7, std::nullopt, 10);
  const std::int64_t phd = MakeUser("phd@example.org", Role::kExpert).id;
  const std::int64_t leaseholder = MakeUser("new@example.org", Role::kExpert).id;
  Grounds g;
  g.reason = "test";
  ASSERT_TRUE(experts_->GrantQualification(expert_, "physics", 3, false, g));
  ASSERT_TRUE(experts_->GrantQualification(phd, "quantum_field_theory", 4, false, g));
  ASSERT_TRUE(experts_->GrantQualification(phd, "law", 5, false, g));
  Exec(
      "INSERT INTO credentials (user_id, kind, title, domain, level, status, created_at, "
      "updated_at) VALUES (" +
      std::to_string(phd) + ", 'degree', 'PhD', 'physics', 4, 'verified', 1, 1)");
  Exec("INSERT INTO credentials (user_id, kind, title, status, created_at, updated_at) VALUES (" +
       std::to_string(phd) + ", 'licence', 'pending one', 'pending', 1, 1)");
  Submit(p, expert_, true);
  Submit(p, expert_);
  Submit(p, phd, false);
  // A lease, no submission yet.
  const long long now = clock_.Now();
  Exec("INSERT INTO items (org_id, project_id, payload, created_at) VALUES (" +
       std::to_string(lab_.id) + ", " + std::to_string(p) + ", '{}', 1)");
  Exec(
      "INSERT INTO assignments (org_id, project_id, item_id, expert_id, state, leased_at, "
      "lease_expires_at, last_heartbeat_at) SELECT org_id, project_id, MAX(id), " +
      std::to_string(leaseholder) + ", 'active', " + std::to_string(now) + ", " +
      std::to_string(now + 600) + ", " + std::to_string(now) +
      " FROM items WHERE project_id = " + std::to_string(p) + " GROUP BY org_id, project_id");

  Caller lab;
  lab.role = Role::kLabMember;
  lab.org_id = lab_.id;
  auto w = standings_->WorkforceOf(lab, p);
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(w->domain, "physics");
  ASSERT_EQ(w->experts.size(), 3u);
  std::map<std::int64_t, const WorkforceMember*> by_id;
  for (const auto& m : w->experts) by_id[m.expert_id] = &m;
  ASSERT_TRUE(by_id.count(expert_) && by_id.count(phd) && by_id.count(leaseholder));
  EXPECT_EQ(by_id[expert_]->standing.judgments, 2);
  EXPECT_EQ(by_id[expert_]->standing.gold_total, 1);
  ASSERT_TRUE(by_id[expert_]->qualification);
  EXPECT_EQ(by_id[expert_]->qualification->level, 3);
  ASSERT_TRUE(by_id[phd]->qualification) << "a sub-field counts for its domain";
  EXPECT_EQ(by_id[phd]->qualification->domain, "quantum_field_theory");
  ASSERT_EQ(by_id[phd]->credentials.size(), 1u) << "verified ones only";
  EXPECT_EQ(by_id[phd]->credentials[0].Text(), "verified PhD, physics");
  EXPECT_EQ(by_id[leaseholder]->standing.judgments, 0);
  EXPECT_FALSE(by_id[leaseholder]->qualification);
  ASSERT_EQ(w->mix.size(), 3u);
  EXPECT_EQ(w->mix[0].level, 4);
  EXPECT_EQ(w->mix[0].experts, 1);
  EXPECT_EQ(w->mix[1].level, 3);
  EXPECT_FALSE(w->mix[2].level) << "the unqualified last";
  EXPECT_EQ(w->mix[2].experts, 1);

  Caller other;
  other.role = Role::kLabOwner;
  other.org_id = other_lab_.id;
  EXPECT_TRUE(IsError(standings_->WorkforceOf(other, p), ErrorCode::kNotFound));
}

FW_INSTANTIATE_BACKENDS(StandingServiceTest);

}  // namespace
}  // namespace fw::experts
