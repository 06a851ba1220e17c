// DomainService contract: the seeded domains, adding and retitling, on SQLite and PostgreSQL.

#include "experts/domains.h"

#include <gtest/gtest.h>

#include "experts/experts.h"
#include "orgs/testing.h"

namespace fw::experts {
namespace {

using orgs::testing::IsError;

TEST(DomainName, IsALowercaseIdentifierOfTwoTo48Characters) {
  EXPECT_TRUE(IsDomainName("law"));
  EXPECT_TRUE(IsDomainName("computer_science"));
  EXPECT_TRUE(IsDomainName("ml2"));
  EXPECT_TRUE(IsDomainName(std::string(48, 'a')));
  EXPECT_FALSE(IsDomainName(std::string(49, 'a')));
  EXPECT_FALSE(IsDomainName("a"));
  EXPECT_FALSE(IsDomainName(""));
  EXPECT_FALSE(IsDomainName("Law"));
  EXPECT_FALSE(IsDomainName("2d_art"));
  EXPECT_FALSE(IsDomainName("_law"));
  EXPECT_FALSE(IsDomainName("quantum-physics"));
  EXPECT_FALSE(IsDomainName("law "));
}

class DomainServiceTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    domains_ = std::make_unique<DomainService>(*db_);
  }

  std::vector<std::string> Names() {
    auto all = domains_->List();
    EXPECT_TRUE(all) << all.error().message;
    std::vector<std::string> names;
    for (const Domain& d : all.value_or(std::vector<Domain>{})) names.push_back(d.name);
    return names;
  }

  std::unique_ptr<DomainService> domains_;
};

TEST_P(DomainServiceTest, StartsWithTheNineSeededDomainsInOrder) {
  EXPECT_EQ(Names(), (std::vector<std::string>{"physics", "mathematics", "chemistry", "biology",
                                               "medicine", "law", "accounting", "finance",
                                               "computer_science"}));
  auto all = domains_->List();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->back(), (Domain{"computer_science", "Computer science"}));
  EXPECT_EQ(domains_->Exists("law"), true);
  EXPECT_EQ(domains_->Exists("Law"), false);
  EXPECT_EQ(domains_->Exists("astrology"), false);
  EXPECT_EQ(domains_->Exists(""), false);
}

TEST_P(DomainServiceTest, AddedDomainsAreListedLastAndKnown) {
  auto added = domains_->Add("linguistics", "Linguistics");
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(*added, (Domain{"linguistics", "Linguistics"}));
  EXPECT_EQ(Names().back(), "linguistics");
  EXPECT_EQ(domains_->Exists("linguistics"), true);
}

TEST_P(DomainServiceTest, AddingATakenNameIsAConflictAndChangesNothing) {
  EXPECT_TRUE(IsError(domains_->Add("physics", "Physik"), ErrorCode::kConflict, "name",
                      "domain_exists"));
  ASSERT_TRUE(domains_->Add("linguistics", "Linguistics"));
  EXPECT_TRUE(IsError(domains_->Add("linguistics", "Other"), ErrorCode::kConflict, "name",
                      "domain_exists"));
  auto all = domains_->List();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->front(), (Domain{"physics", "Physics"}));
  EXPECT_EQ(all->back(), (Domain{"linguistics", "Linguistics"}));
  EXPECT_EQ(all->size(), 10u);
}

TEST_P(DomainServiceTest, AddRefusesMalformedNamesAndMissingTitles) {
  EXPECT_TRUE(IsError(domains_->Add("Quantum Physics", "Quantum physics"),
                      ErrorCode::kInvalidArgument, "name"));
  EXPECT_TRUE(IsError(domains_->Add("", "Nothing"), ErrorCode::kInvalidArgument, "name"));
  EXPECT_TRUE(IsError(domains_->Add("optics", " \t"), ErrorCode::kInvalidArgument, "title"));
  EXPECT_TRUE(IsError(domains_->Add("optics", std::string(201, 'x')),
                      ErrorCode::kInvalidArgument, "title"));
  EXPECT_EQ(Names().size(), 9u);
}

TEST_P(DomainServiceTest, SetTitleChangesOnlyTheTitle) {
  auto changed = domains_->SetTitle("computer_science", "Computer science and engineering");
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->name, "computer_science");
  auto all = domains_->List();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->back(), (Domain{"computer_science", "Computer science and engineering"}));
  EXPECT_TRUE(IsError(domains_->SetTitle("astrology", "Astrology"), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(domains_->SetTitle("law", ""), ErrorCode::kInvalidArgument, "title"));
  EXPECT_EQ(Names().size(), 9u);
}

TEST_P(DomainServiceTest, QualificationsMayNameAnAddedDomain) {
  ExpertService experts(*db_, clock_, ids_);
  orgs::User ex = MakeUser("ex@x.org", Role::kExpert);
  EXPECT_TRUE(IsError(experts.GrantQualification(ex.id, "linguistics", 3, false),
                      ErrorCode::kInvalidArgument, "domain"));
  ASSERT_TRUE(domains_->Add("linguistics", "Linguistics"));
  auto q = experts.GrantQualification(ex.id, "linguistics", 3, false);
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->domain, "linguistics");
  EXPECT_TRUE(experts.RevokeQualification(ex.id, "linguistics"));
}

FW_INSTANTIATE_BACKENDS(DomainServiceTest);

}  // namespace
}  // namespace fw::experts
