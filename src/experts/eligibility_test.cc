// Eligibility: the rule (pure checks on a standing) and the reads that route by it, on SQLite
// and PostgreSQL.

#include "experts/eligibility.h"

#include <gtest/gtest.h>

#include "orgs/testing.h"
#include "projects/pool.h"
#include "security/payload_codec.h"

namespace fw::experts {
namespace {

using projects::ProjectStatus;
using projects::Requirements;

Requirements Req(std::int64_t id, std::string domain, int min_level) {
  Requirements r;
  r.project_id = id;
  r.domain = std::move(domain);
  r.min_level = min_level;
  return r;
}

Standing PhysicistAt(int level, std::vector<std::int64_t> gated = {}) {
  Standing st;
  st.expert_id = 7;
  st.qualifications = {{"physics", level, false, 0, {}, ""}};
  st.gated_projects = std::move(gated);
  return st;
}

TEST(WhyNot, NamesTheFirstUnmetRequirementInOrder) {
  Requirements physics4 = Req(1, "physics", 4);
  EXPECT_FALSE(WhyNot(PhysicistAt(4), physics4));
  EXPECT_FALSE(WhyNot(PhysicistAt(5), physics4));
  EXPECT_FALSE(WhyNot(Standing{}, Req(2, "", 0)))
      << "a project without a domain is open to every expert";

  auto low = WhyNot(PhysicistAt(3), physics4);
  ASSERT_TRUE(low);
  EXPECT_EQ(low->reason, "not_qualified");
  EXPECT_NE(low->message.find("physics at level 4"), std::string::npos) << low->message;
  EXPECT_TRUE(low->ends_leases);
  EXPECT_EQ(low->ToError().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(low->ToError().reason, "not_qualified");

  auto gated = WhyNot(PhysicistAt(4, {1}), physics4);
  ASSERT_TRUE(gated);
  EXPECT_EQ(gated->reason, "gated");
  EXPECT_FALSE(gated->ends_leases);
  EXPECT_FALSE(WhyNot(PhysicistAt(4, {2}), physics4)) << "another project's gate";

  Requirements paused = physics4;
  paused.status = ProjectStatus::kPaused;
  auto inactive = WhyNot(PhysicistAt(1, {1}), paused);
  ASSERT_TRUE(inactive);
  EXPECT_EQ(inactive->reason, "project_inactive") << "the project's status is checked first";
  EXPECT_FALSE(inactive->ends_leases);
  EXPECT_EQ(inactive->ToError().code, ErrorCode::kConflict);
}

TEST(LeaseLapsed, EndsLeasesOnlyForALostQualificationOrAnArchivedProject) {
  Requirements physics4 = Req(1, "physics", 4);
  EXPECT_FALSE(LeaseLapsed(PhysicistAt(4), physics4));
  EXPECT_FALSE(LeaseLapsed(PhysicistAt(4, {1}), physics4)) << "a gate lets running leases finish";
  EXPECT_TRUE(LeaseLapsed(PhysicistAt(3), physics4));
  Requirements paused = physics4;
  paused.status = ProjectStatus::kPaused;
  EXPECT_FALSE(LeaseLapsed(PhysicistAt(4), paused)) << "a paused project lets leases finish";
  Requirements archived = physics4;
  archived.status = ProjectStatus::kArchived;
  auto lapsed = LeaseLapsed(PhysicistAt(4), archived);
  ASSERT_TRUE(lapsed);
  EXPECT_EQ(lapsed->reason, "project_inactive");
  EXPECT_TRUE(lapsed->ends_leases);
}

// A project in physics at level 4 that asks for everything eligibility checks.
Requirements Demanding() {
  Requirements r = Req(1, "physics", 4);
  r.min_exam_score = 80;
  r.credential_kinds = {"degree"};
  r.languages = {"en"};
  r.competitors = {"acme corp"};
  r.terms_version = 2;
  return r;
}

// An expert who meets every requirement of Demanding().
Standing Meets() {
  Standing st;
  st.expert_id = 7;
  st.now = 1000;
  Grounds exam;
  exam.kind = "exam";
  exam.score = 85;
  st.qualifications = {{"quantum_field_theory", 4, false, 0, exam, "physics"}};
  st.credentials = {{"degree", "physics", ""}};
  st.languages = {"en-GB"};
  st.affiliations = {{"Initech", "initech"}};
  st.terms = {{1, 2}};
  return st;
}

std::vector<std::string> Reasons(const Standing& st, const Requirements& p) {
  std::vector<std::string> out;
  for (const Unmet& u : UnmetRequirements(st, p)) out.push_back(u.reason);
  return out;
}

TEST(UnmetRequirements, ASubFieldQualificationFromAGoodExamMeetsEverything) {
  EXPECT_TRUE(Reasons(Meets(), Demanding()).empty());
  EXPECT_FALSE(WhyNot(Meets(), Demanding()));
}

TEST(UnmetRequirements, ListsEveryUnmetRequirementInOrder) {
  Standing st;
  st.expert_id = 7;
  st.now = 1000;
  st.excluded_projects = {1};
  st.affiliations = {{"ACME Corp", "acme corp"}};
  st.paused = {{1, "paused: your gold accuracy is 40%"}};
  st.gated_projects = {1};
  EXPECT_EQ(Reasons(st, Demanding()),
            (std::vector<std::string>{"excluded", "conflict_of_interest", "paused", "not_qualified",
                                      "credential_missing", "language_missing",
                                      "terms_not_accepted", "gated"}));
  auto first = WhyNot(st, Demanding());
  ASSERT_TRUE(first);
  EXPECT_EQ(first->reason, "excluded");
  EXPECT_EQ(first->ToError().code, ErrorCode::kPermissionDenied);
  auto all = UnmetRequirements(st, Demanding());
  EXPECT_NE(all[1].message.find("ACME Corp"), std::string::npos) << all[1].message;
  EXPECT_EQ(all[2].message, "paused: your gold accuracy is 40%");
  EXPECT_NE(all[3].message.find("pass the physics exam, level 4"), std::string::npos)
      << all[3].message;
}

TEST(UnmetRequirements, EachRuleOnItsOwn) {
  const Requirements p = Demanding();
  auto only = [&](auto change) {
    Standing st = Meets();
    change(st);
    return Reasons(st, p);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(only([](Standing& st) { st.qualifications[0].grounds.score = 79; }), V{"exam_score"});
  EXPECT_EQ(only([](Standing& st) { st.qualifications[0].grounds.kind = "operator"; }),
            V{"exam_score"})
      << "a minimum exam score asks for an exam";
  EXPECT_EQ(only([](Standing& st) { st.qualifications[0].level = 3; }), V{"not_qualified"});
  EXPECT_EQ(only([](Standing& st) { st.qualifications[0].grounds.expires_at = 1000; }),
            V{"qualification_expired"});
  EXPECT_EQ(only([](Standing& st) { st.credentials[0].domain = "law"; }), V{"credential_missing"});
  EXPECT_EQ(only([](Standing& st) {
              st.credentials[0] = {"degree", "condensed_matter", "physics"};
            }),
            V{})
      << "a credential in a sub-field counts for its domain";
  EXPECT_EQ(only([](Standing& st) { st.credentials[0].domain = ""; }), V{})
      << "a credential naming no domain counts for any";
  EXPECT_EQ(only([](Standing& st) { st.credentials[0].kind = "licence"; }),
            V{"credential_missing"});
  EXPECT_EQ(only([](Standing& st) { st.languages = {"de"}; }), V{"language_missing"});
  EXPECT_EQ(only([](Standing& st) { st.terms = {{1, 1}}; }), V{"terms_not_accepted"});
  EXPECT_EQ(only([](Standing& st) {
              st.terms = {{2, 2}};
            }),
            V{"terms_not_accepted"})
      << "another project's acceptance";
  EXPECT_EQ(only([](Standing& st) {
              st.affiliations.push_back({"Acme  corp", "acme corp"});
            }),
            V{"conflict_of_interest"});
  EXPECT_EQ(only([](Standing& st) { st.excluded_projects = {2}; }), V{}) << "another project";

  Standing old = Meets();
  old.terms = {{1, 1}};
  auto changed = WhyNot(old, p);
  ASSERT_TRUE(changed);
  EXPECT_NE(changed->message.find("changed"), std::string::npos) << changed->message;
}

TEST(LeaseLapsed, EndsForExclusionConflictPauseAndExpiryButNotForNewTerms) {
  const Requirements p = Demanding();
  auto lapsed = [&](auto change) -> std::string {
    Standing st = Meets();
    change(st);
    auto u = LeaseLapsed(st, p);
    return u ? u->reason : "";
  };
  EXPECT_EQ(lapsed([](Standing&) {}), "");
  EXPECT_EQ(lapsed([](Standing& st) { st.excluded_projects = {1}; }), "excluded");
  EXPECT_EQ(lapsed([](Standing& st) { st.affiliations[0].organisation_key = "acme corp"; }),
            "conflict_of_interest");
  EXPECT_EQ(lapsed([](Standing& st) { st.paused = {{1, "paused"}}; }), "paused");
  EXPECT_EQ(lapsed([](Standing& st) { st.qualifications[0].grounds.expires_at = 999; }),
            "qualification_expired");
  EXPECT_EQ(lapsed([](Standing& st) { st.terms.clear(); }), "") << "new terms ask before the next";
  EXPECT_EQ(lapsed([](Standing& st) { st.languages.clear(); }), "");
  EXPECT_EQ(lapsed([](Standing& st) { st.credentials.clear(); }), "");
  EXPECT_EQ(lapsed([](Standing& st) { st.qualifications[0].grounds.score = 10; }), "");
  EXPECT_EQ(lapsed([](Standing& st) { st.gated_projects = {1}; }), "");
}

TEST(Unmet, WhatAnExpertCanUnlock) {
  for (const char* r : {"paused", "not_qualified", "qualification_expired", "exam_score",
                        "credential_missing", "language_missing", "terms_not_accepted"}) {
    EXPECT_TRUE((Unmet{r, "", false}).Unlockable()) << r;
    EXPECT_EQ((Unmet{r, "", false}).ToError().code, ErrorCode::kPermissionDenied) << r;
  }
  for (const char* r : {"excluded", "conflict_of_interest", "project_inactive", "gated"}) {
    EXPECT_FALSE((Unmet{r, "", false}).Unlockable()) << r;
  }
  EXPECT_EQ((Unmet{"gated", "", false}).ToError().code, ErrorCode::kConflict);
}

class EligibilityTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    experts_ = std::make_unique<ExpertService>(*db_, clock_, ids_);
    eligibility_ = std::make_unique<Eligibility>(*db_, *experts_);
    projects::ProjectOptions po;
    po.spool_dir = (std::filesystem::temp_directory_path() / "fw_spool_eligibility").string();
    projects_ = std::make_unique<projects::ProjectService>(*db_, clock_, tenancy_, po);
    lab_ = MakeLab("lab");
    owner_ = CallerOf(MakeUser("owner@lab.org", Role::kLabOwner, lab_.id));
  }

  std::int64_t MakeProject(const std::string& domain, int min_level) {
    projects::NewProject np;
    np.name = domain + std::to_string(min_level);
    np.preset = "classification";
    np.domain = domain;
    np.min_level = min_level;
    auto p = projects_->Create(owner_, np);
    EXPECT_TRUE(p) << p.error().message;
    return p ? p->id : 0;
  }

  void Gate(std::int64_t project_id, std::int64_t expert_id) {
    ASSERT_TRUE(db_->Write<bool>([&](soci::session& s) -> Result<bool> {
      projects::ReplaceGates(s, project_id, {{expert_id, 0.01, 30}});
      return true;
    }));
  }

  static std::vector<std::int64_t> Ids(const std::vector<Requirements>& rs) {
    std::vector<std::int64_t> out;
    for (const auto& r : rs) out.push_back(r.project_id);
    return out;
  }

  std::unique_ptr<ExpertService> experts_;
  std::unique_ptr<Eligibility> eligibility_;
  std::unique_ptr<projects::ProjectService> projects_;
  orgs::Lab lab_;
  Caller owner_;
};

TEST_P(EligibilityTest, RoutingListsTheActiveProjectsTheExpertMeetsAndNotTheGatedOnes) {
  std::int64_t open = MakeProject("", 0), phys2 = MakeProject("physics", 2),
               phys4 = MakeProject("physics", 4), law = MakeProject("law", 1),
               gated = MakeProject("physics", 1), paused = MakeProject("physics", 1);
  projects::ProjectPatch pause;
  pause.status = ProjectStatus::kPaused;
  ASSERT_TRUE(projects_->Update(owner_, paused, pause));
  orgs::User ex = MakeUser("ex@x.org", Role::kExpert);
  ASSERT_TRUE(experts_->GrantQualification(ex.id, "physics", 3, false));
  Gate(gated, ex.id);

  auto projects = eligibility_->Projects(ex.id);
  ASSERT_TRUE(projects) << projects.error().message;
  EXPECT_EQ(Ids(*projects), (std::vector<std::int64_t>{open, phys2}));

  auto standing = eligibility_->StandingOf(ex.id);
  ASSERT_TRUE(standing);
  EXPECT_EQ(standing->gated_projects, (std::vector<std::int64_t>{gated}));
  ASSERT_EQ(standing->qualifications.size(), 1u);

  auto ok = eligibility_->Check(ex.id, phys2);
  ASSERT_TRUE(ok);
  EXPECT_FALSE(ok->unmet);
  EXPECT_EQ(ok->project.min_level, 2);
  EXPECT_EQ(eligibility_->Check(ex.id, phys4)->unmet->reason, "not_qualified");
  EXPECT_EQ(eligibility_->Check(ex.id, law)->unmet->reason, "not_qualified");
  EXPECT_EQ(eligibility_->Check(ex.id, gated)->unmet->reason, "gated");
  EXPECT_EQ(eligibility_->Check(ex.id, paused)->unmet->reason, "project_inactive");
  auto missing = eligibility_->Check(ex.id, paused + 1000);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(EligibilityTest, AGrantOpensAndARevocationClosesProjects) {
  std::int64_t chem = MakeProject("chemistry", 2);
  orgs::User ex = MakeUser("ex@x.org", Role::kExpert);
  EXPECT_TRUE(eligibility_->Projects(ex.id)->empty());
  ASSERT_TRUE(experts_->GrantQualification(ex.id, "chemistry", 2, false));
  EXPECT_EQ(Ids(*eligibility_->Projects(ex.id)), (std::vector<std::int64_t>{chem}));
  ASSERT_TRUE(experts_->RevokeQualification(ex.id, "chemistry"));
  EXPECT_TRUE(eligibility_->Projects(ex.id)->empty());
}

TEST_P(EligibilityTest, TheStandingReadsTheNetworkAndLocksWhatCanBeUnlocked) {
  projects::NewProject np;
  np.name = "demanding";
  np.preset = "classification";
  np.domain = "physics";
  np.min_level = 3;
  np.requirements.credential_kinds = {{"degree"}};
  np.requirements.languages = {{"en"}};
  np.requirements.terms = "Terms.";
  auto demanding = projects_->Create(owner_, np);
  ASSERT_TRUE(demanding) << demanding.error().message;
  np.name = "rival";
  np.requirements = {};
  np.requirements.competitors = {{"Acme Corp"}};
  auto rival = projects_->Create(owner_, np);
  ASSERT_TRUE(rival);
  np.name = "excluding";
  np.requirements = {};
  auto excluding = projects_->Create(owner_, np);
  ASSERT_TRUE(excluding);

  orgs::User ex = MakeUser("ex@x.org", Role::kExpert);
  ASSERT_TRUE(experts_->GrantQualification(ex.id, "physics", 3, false));
  const long long e = ex.id, now = clock_.Now();
  ASSERT_TRUE(db_->Write<bool>([&](soci::session& s) -> Result<bool> {
    s << "INSERT INTO expert_profiles (user_id, languages, updated_at) VALUES (:u, "
         "'[\"en-GB\"]', 0)",
        soci::use(e);
    long long x = excluding->id, r = rival->id, o = lab_.id;
    // A verified degree, an expired one and a pending licence; a current affiliation with
    // the rival's competitor and an ended one.
    for (auto [kind, status, expires] :
         {std::tuple{"degree", "verified", now + 100}, std::tuple{"licence", "verified", now - 1},
          std::tuple{"certification", "pending", now + 100}}) {
      std::string k = kind, st = status;
      long long x_at = expires;
      s << "INSERT INTO credentials (user_id, kind, title, domain, status, expires_at, "
           "created_at, updated_at) VALUES (:u, :k, 't', 'physics', :s, :x, 0, 0)",
          soci::use(e), soci::use(k), soci::use(st), soci::use(x_at);
    }
    s << "INSERT INTO affiliations (user_id, organisation, organisation_key, kind, created_at) "
         "VALUES (:u, 'ACME  Corp', 'acme corp', 'employer', 0)",
        soci::use(e);
    long long ended = now - 10;
    s << "INSERT INTO affiliations (user_id, organisation, organisation_key, kind, until, "
         "created_at) VALUES (:u, 'Initech', 'initech', 'client', :t, 0)",
        soci::use(e), soci::use(ended);
    s << "INSERT INTO project_exclusions (project_id, expert_id, org_id, created_at) VALUES "
         "(:p, :e, :o, 0)",
        soci::use(x), soci::use(e), soci::use(o);
    s << "INSERT INTO expert_standings (project_id, expert_id, org_id, paused, reason, since, "
         "changed_at) VALUES (:p, :e, :o, 1, 'paused for a test', 0, 0)",
        soci::use(r), soci::use(e), soci::use(o);
    return true;
  }));

  auto st = eligibility_->StandingOf(ex.id);
  ASSERT_TRUE(st) << st.error().message;
  ASSERT_EQ(st->credentials.size(), 1u) << "verified and unexpired only";
  EXPECT_EQ(st->credentials[0].kind, "degree");
  EXPECT_EQ(st->languages, (std::vector<std::string>{"en-GB"}));
  ASSERT_EQ(st->affiliations.size(), 1u) << "current ones only";
  EXPECT_EQ(st->affiliations[0].organisation, "ACME  Corp");
  EXPECT_EQ(st->excluded_projects, (std::vector<std::int64_t>{excluding->id}));
  ASSERT_EQ(st->paused.size(), 1u);
  EXPECT_EQ(st->paused[0].second, "paused for a test");

  EXPECT_EQ(eligibility_->Check(ex.id, demanding->id)->unmet->reason, "terms_not_accepted");
  EXPECT_EQ(eligibility_->Check(ex.id, rival->id)->unmet->reason, "conflict_of_interest");
  EXPECT_EQ(eligibility_->Check(ex.id, excluding->id)->unmet->reason, "excluded");
  auto locked = eligibility_->LockedProjects(ex.id);
  ASSERT_TRUE(locked) << locked.error().message;
  ASSERT_EQ(locked->size(), 1u) << "a conflict or an exclusion is not shown as locked";
  EXPECT_EQ((*locked)[0].project.project_id, demanding->id);
  ASSERT_EQ((*locked)[0].unmet.size(), 1u);

  ASSERT_TRUE(db_->Write<bool>([&](soci::session& s) -> Result<bool> {
    long long d = demanding->id;
    s << "INSERT INTO terms_acceptances (project_id, expert_id, version, accepted_at) VALUES "
         "(:p, :e, 1, 0)",
        soci::use(d), soci::use(e);
    return true;
  }));
  EXPECT_EQ(Ids(*eligibility_->Projects(ex.id)), (std::vector<std::int64_t>{demanding->id}));
  EXPECT_TRUE(eligibility_->LockedProjects(ex.id)->empty());
}

FW_INSTANTIATE_BACKENDS(EligibilityTest);

}  // namespace
}  // namespace fw::experts
