// DomainService contract: the seeded domains, adding and retitling, on SQLite and PostgreSQL.

#include <algorithm>
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
  static constexpr std::size_t kSeeded = 23;  // nine domains, fourteen sub-fields
};

TEST_P(DomainServiceTest, StartsWithTheNineSeededDomainsInOrderThenTheirSubFields) {
  std::vector<std::string> names = Names();
  ASSERT_EQ(names.size(), kSeeded);
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + 9),
            (std::vector<std::string>{"physics", "mathematics", "chemistry", "biology", "medicine",
                                      "law", "accounting", "finance", "computer_science"}));
  auto all = domains_->List();
  ASSERT_TRUE(all);
  EXPECT_EQ((*all)[8], (Domain{"computer_science", "Computer science", ""}));
  for (std::size_t i = 9; i < all->size(); ++i) {
    EXPECT_FALSE((*all)[i].parent.empty()) << (*all)[i].name;
  }
  EXPECT_NE(std::find((*all).begin(), (*all).end(), Domain{"tax_law", "Tax law", "law"}),
            all->end());
  EXPECT_EQ(domains_->Exists("law"), true);
  EXPECT_EQ(domains_->Exists("Law"), false);
  EXPECT_EQ(domains_->Exists("astrology"), false);
  EXPECT_EQ(domains_->Exists(""), false);
}

TEST_P(DomainServiceTest, AddedDomainsAreListedLastAndKnown) {
  auto added = domains_->Add("linguistics", "Linguistics");
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(*added, (Domain{"linguistics", "Linguistics", ""}));
  EXPECT_EQ(Names().back(), "linguistics");
  EXPECT_EQ(domains_->Exists("linguistics"), true);
}

TEST_P(DomainServiceTest, SubFieldsNameADomainOneLevelDeep) {
  auto added = domains_->Add("astroparticle", "Astroparticle physics", "physics");
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(*added, (Domain{"astroparticle", "Astroparticle physics", "physics"}));
  EXPECT_EQ(domains_->List()->back(), *added);
  EXPECT_TRUE(IsError(domains_->Add("deep", "Deeper", "astroparticle"),
                      ErrorCode::kInvalidArgument, "parent"));
  EXPECT_TRUE(IsError(domains_->Add("stars", "Stars", "astrology"), ErrorCode::kInvalidArgument,
                      "parent"));
  EXPECT_TRUE(IsError(domains_->Add("stars", "Stars", "Not A Name"),
                      ErrorCode::kInvalidArgument, "parent"));
  EXPECT_EQ(Names().size(), kSeeded + 1);
}

TEST_P(DomainServiceTest, AddingATakenNameIsAConflictAndChangesNothing) {
  EXPECT_TRUE(IsError(domains_->Add("physics", "Physik"), ErrorCode::kConflict, "name",
                      "domain_exists"));
  ASSERT_TRUE(domains_->Add("linguistics", "Linguistics"));
  EXPECT_TRUE(IsError(domains_->Add("linguistics", "Other"), ErrorCode::kConflict, "name",
                      "domain_exists"));
  auto all = domains_->List();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->front(), (Domain{"physics", "Physics", ""}));
  EXPECT_EQ(all->back(), (Domain{"linguistics", "Linguistics", ""}));
  EXPECT_EQ(all->size(), kSeeded + 1);
}

TEST_P(DomainServiceTest, AddRefusesMalformedNamesAndMissingTitles) {
  EXPECT_TRUE(IsError(domains_->Add("Quantum Physics", "Quantum physics"),
                      ErrorCode::kInvalidArgument, "name"));
  EXPECT_TRUE(IsError(domains_->Add("", "Nothing"), ErrorCode::kInvalidArgument, "name"));
  EXPECT_TRUE(IsError(domains_->Add("optics", " \t"), ErrorCode::kInvalidArgument, "title"));
  EXPECT_TRUE(IsError(domains_->Add("optics", std::string(201, 'x')),
                      ErrorCode::kInvalidArgument, "title"));
  EXPECT_EQ(Names().size(), kSeeded);
}

TEST_P(DomainServiceTest, SetTitleChangesOnlyTheTitle) {
  auto changed = domains_->SetTitle("computer_science", "Computer science and engineering");
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->name, "computer_science");
  auto all = domains_->List();
  ASSERT_TRUE(all);
  EXPECT_EQ((*all)[8], (Domain{"computer_science", "Computer science and engineering", ""}));
  auto sub = domains_->SetTitle("tax_law", "Tax law (international)");
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->parent, "law");
  EXPECT_TRUE(IsError(domains_->SetTitle("astrology", "Astrology"), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(domains_->SetTitle("law", ""), ErrorCode::kInvalidArgument, "title"));
  EXPECT_EQ(Names().size(), kSeeded);
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
