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

Standing PhysicistAt(int level, std::vector<std::int64_t> gated = {}) {
  Standing st;
  st.expert_id = 7;
  st.qualifications = {{"physics", level, false, 0, {}, ""}};
  st.gated_projects = std::move(gated);
  return st;
}

TEST(WhyNot, NamesTheFirstUnmetRequirementInOrder) {
  Requirements physics4{1, "physics", 4, ProjectStatus::kActive};
  EXPECT_FALSE(WhyNot(PhysicistAt(4), physics4));
  EXPECT_FALSE(WhyNot(PhysicistAt(5), physics4));
  EXPECT_FALSE(WhyNot(Standing{}, Requirements{2, "", 0, ProjectStatus::kActive}))
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
  Requirements physics4{1, "physics", 4, ProjectStatus::kActive};
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

FW_INSTANTIATE_BACKENDS(EligibilityTest);

}  // namespace
}  // namespace fw::experts
