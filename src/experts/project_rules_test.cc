// Terms acceptance and exclusions by pseudonym, on SQLite and PostgreSQL.

#include "experts/project_rules.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "orgs/testing.h"

namespace fw::experts {
namespace {

class ProjectRulesTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    experts_ = std::make_unique<ExpertService>(*db_, clock_, ids_);
    eligibility_ = std::make_unique<Eligibility>(*db_, *experts_);
    projects::ProjectOptions po;
    po.spool_dir = (std::filesystem::temp_directory_path() / "fw_spool_rules").string();
    projects_ = std::make_unique<projects::ProjectService>(*db_, clock_, tenancy_, po);
    rules_ = std::make_unique<ProjectRules>(*db_, clock_, *experts_, *eligibility_, *projects_);
    lab_ = MakeLab("lab");
    owner_ = CallerOf(MakeUser("owner@lab.org", Role::kLabOwner, lab_.id));
    other_ = CallerOf(MakeUser("owner@other.org", Role::kLabOwner, MakeLab("other").id));
    expert_ = CallerOf(MakeUser("ex@x.org", Role::kExpert));
    projects::NewProject np;
    np.name = "p";
    np.preset = "classification";
    np.requirements.terms = "Version one.";
    auto p = projects_->Create(owner_, np);
    ASSERT_TRUE(p) << p.error().message;
    project_ = p->id;
  }

  void SetTerms(const std::string& text) {
    projects::ProjectPatch patch;
    patch.requirements.terms = text;
    ASSERT_TRUE(projects_->Update(owner_, project_, patch));
  }

  std::string PseudonymOf(const Caller& expert) {
    return *experts_->Pseudonym(lab_.id, expert.user_id);
  }

  std::unique_ptr<ExpertService> experts_;
  std::unique_ptr<Eligibility> eligibility_;
  std::unique_ptr<projects::ProjectService> projects_;
  std::unique_ptr<ProjectRules> rules_;
  orgs::Lab lab_;
  Caller owner_, other_, expert_;
  std::int64_t project_ = 0;
};

TEST_P(ProjectRulesTest, AcceptingTheCurrentVersionOpensTheProjectAndANewVersionAsksAgain) {
  auto terms = rules_->Terms(expert_, project_);
  ASSERT_TRUE(terms) << terms.error().message;
  EXPECT_EQ(terms->terms.version, 1);
  EXPECT_EQ(terms->terms.text, "Version one.");
  EXPECT_FALSE(terms->accepted_at);
  EXPECT_EQ(eligibility_->Check(expert_.user_id, project_)->unmet->reason, "terms_not_accepted");

  auto accepted = rules_->AcceptTerms(expert_, project_, 1);
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->accepted_at, clock_.Now());
  EXPECT_FALSE(eligibility_->Check(expert_.user_id, project_)->unmet);
  clock_.Advance(60);
  EXPECT_EQ(rules_->AcceptTerms(expert_, project_, 1)->accepted_at, clock_.Now() - 60)
      << "accepting again keeps the first time";

  SetTerms("Version two.");
  EXPECT_EQ(eligibility_->Check(expert_.user_id, project_)->unmet->reason, "terms_not_accepted");
  auto stale = rules_->AcceptTerms(expert_, project_, 1);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().reason, "terms_changed");
  ASSERT_TRUE(rules_->AcceptTerms(expert_, project_, 2));
  EXPECT_FALSE(eligibility_->Check(expert_.user_id, project_)->unmet);

  SetTerms("");
  EXPECT_EQ(rules_->Terms(expert_, project_).error().code, ErrorCode::kNotFound);
}

TEST_P(ProjectRulesTest, AnExcludedExpertNeitherWorksNorSeesTheTerms) {
  auto unknown = rules_->Exclude(owner_, project_, "ex_aaaaaaaaaa");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().details.at(0).field, "pseudonym");

  std::vector<std::int64_t> checked;
  rules_->SetLeaseCheck([&](soci::session&, std::int64_t expert) -> Status {
    checked.push_back(expert);
    return {};
  });
  const std::string pseudonym = PseudonymOf(expert_);
  auto x = rules_->Exclude(owner_, project_, pseudonym);
  ASSERT_TRUE(x) << x.error().message;
  EXPECT_EQ(x->pseudonym, pseudonym);
  EXPECT_EQ(checked, (std::vector<std::int64_t>{expert_.user_id})) << "leases end with it";
  EXPECT_EQ(eligibility_->Check(expert_.user_id, project_)->unmet->reason, "excluded");
  EXPECT_EQ(rules_->Terms(expert_, project_).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(rules_->AcceptTerms(expert_, project_, 1).error().code, ErrorCode::kNotFound);
  auto list = rules_->Exclusions(owner_, project_);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].pseudonym, pseudonym);

  EXPECT_EQ(rules_->Exclusions(other_, project_).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(rules_->Exclude(other_, project_, pseudonym).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(rules_->Readmit(other_, project_, pseudonym).error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(rules_->Readmit(owner_, project_, pseudonym));
  EXPECT_EQ(eligibility_->Check(expert_.user_id, project_)->unmet->reason, "terms_not_accepted");
  EXPECT_EQ(rules_->Readmit(owner_, project_, pseudonym).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(rules_->Exclusions(owner_, project_)->empty());
}

FW_INSTANTIATE_BACKENDS(ProjectRulesTest);

}  // namespace
}  // namespace fw::experts
