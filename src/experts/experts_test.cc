// ExpertService contract: domains, qualifications and pseudonyms, on SQLite and PostgreSQL.

#include "experts/experts.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "orgs/testing.h"
#include "security/crypto.h"

namespace fw::experts {
namespace {

using orgs::testing::IsError;

class ExpertServiceTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    experts_ = std::make_unique<ExpertService>(*db_, clock_, ids_);
  }
  std::unique_ptr<ExpertService> experts_;
};

TEST(Levels, HaveNamesFromOneToFive) {
  EXPECT_EQ(LevelName(1), "student");
  EXPECT_EQ(LevelName(2), "bachelor");
  EXPECT_EQ(LevelName(3), "master");
  EXPECT_EQ(LevelName(4), "PhD");
  EXPECT_EQ(LevelName(5), "licensed professional");
  EXPECT_EQ(LevelName(0), "");
  EXPECT_EQ(LevelName(6), "");
}

TEST(Qualifies, NeedsTheDomainAtTheMinimumLevelUnlessNoDomainIsAsked) {
  std::vector<Qualification> quals = {{"physics", 3, false, 0, {}, ""}, {"law", 1, true, 0, {}, ""}};
  EXPECT_TRUE(Qualifies({}, "", 0, 0));
  EXPECT_TRUE(Qualifies({}, "", 5, 0));
  EXPECT_TRUE(Qualifies(quals, "physics", 3, 0));
  EXPECT_TRUE(Qualifies(quals, "physics", 0, 0));
  EXPECT_FALSE(Qualifies(quals, "physics", 4, 0));
  EXPECT_FALSE(Qualifies(quals, "chemistry", 1, 0));
  EXPECT_TRUE(Qualifies(quals, "law", 1, 0));
  EXPECT_FALSE(Qualifies({}, "law", 0, 0));
}

TEST(Qualifies, CountsASubFieldForItsDomainButNotTheOtherWayRound) {
  Qualification qft{"quantum_field_theory", 4, false, 0, {}, "physics"};
  EXPECT_TRUE(Qualifies({qft}, "physics", 4, 0));
  EXPECT_TRUE(Qualifies({qft}, "quantum_field_theory", 4, 0));
  EXPECT_FALSE(Qualifies({qft}, "physics", 5, 0));
  Qualification physics{"physics", 5, false, 0, {}, ""};
  EXPECT_FALSE(Qualifies({physics}, "quantum_field_theory", 1, 0));
}

TEST(Qualifies, IgnoresAnExpiredQualification) {
  Qualification q{"law", 4, false, 0, {}, ""};
  q.grounds.expires_at = 1000;
  EXPECT_TRUE(Qualifies({q}, "law", 4, 999));
  EXPECT_FALSE(Qualifies({q}, "law", 4, 1000));
  EXPECT_FALSE(Qualifies({q}, "law", 1, 5000));
  EXPECT_TRUE(Qualifies({q}, "", 1, 5000));
}

TEST(BestFor, PrefersCurrentThenHigherQualifications) {
  Qualification old{"physics", 5, false, 0, {}, ""};
  old.grounds.expires_at = 10;
  Qualification sub{"condensed_matter", 3, false, 0, {}, "physics"};
  Qualification other{"law", 5, false, 0, {}, ""};
  std::vector<Qualification> quals = {old, sub, other};
  EXPECT_EQ(BestFor(quals, "physics", 5)->domain, "physics");
  EXPECT_EQ(BestFor(quals, "physics", 50)->domain, "condensed_matter");
  EXPECT_EQ(BestFor(quals, "chemistry", 0), nullptr);
}

TEST_P(ExpertServiceTest, GrantStoresAndReplacesAQualification) {
  orgs::User ex = MakeUser("ex@x.org", Role::kExpert);
  auto q = experts_->GrantQualification(ex.id, "physics", 3, false);
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(*q, (Qualification{"physics", 3, false, clock_.Now(), {}, ""}));
  clock_.Advance(100);
  auto again = experts_->GrantQualification(ex.id, "physics", 4, true);
  ASSERT_TRUE(again) << again.error().message;
  ASSERT_TRUE(experts_->GrantQualification(ex.id, "law", 2, false));
  auto all = experts_->Qualifications(ex.id);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], (Qualification{"law", 2, false, clock_.Now(), {}, ""}));
  EXPECT_EQ((*all)[1], (Qualification{"physics", 4, true, clock_.Now(), {}, ""}));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM qualifications"), 2);
}

TEST_P(ExpertServiceTest, GrantKeepsItsGroundsAndASubFieldsDomain) {
  orgs::User ex = MakeUser("ex@x.org", Role::kExpert);
  orgs::User op = MakeUser("op@x.org", Role::kOperator);
  Grounds exam;
  exam.kind = "exam";
  exam.id = 77;
  exam.score = 86;
  exam.expires_at = clock_.Now() + 3600;
  auto q = experts_->GrantQualification(ex.id, "quantum_field_theory", 4, false, exam);
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->grounds, exam);
  EXPECT_EQ(q->parent, "physics");
  Grounds decided;
  decided.reason = "interviewed";
  decided.granted_by = op.id;
  ASSERT_TRUE(experts_->GrantQualification(ex.id, "law", 2, false, decided));
  auto all = experts_->Qualifications(ex.id);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].grounds, decided);
  EXPECT_EQ((*all)[0].parent, "");
  EXPECT_EQ((*all)[1].grounds, exam);
  EXPECT_TRUE(Qualifies(*all, "physics", 4, clock_.Now()));
  EXPECT_FALSE(Qualifies(*all, "physics", 4, clock_.Now() + 3600));

  Grounds bad;
  bad.kind = "rumour";
  EXPECT_TRUE(IsError(experts_->GrantQualification(ex.id, "law", 3, false, bad),
                      ErrorCode::kInvalidArgument, "grounds"));
  bad.kind = "exam";
  bad.score = 101;
  EXPECT_TRUE(IsError(experts_->GrantQualification(ex.id, "law", 3, false, bad),
                      ErrorCode::kInvalidArgument, "score"));
  EXPECT_EQ((*experts_->Qualifications(ex.id))[0].level, 2);
}

TEST_P(ExpertServiceTest, GrantInsideATransactionRollsBackWithIt) {
  orgs::User ex = MakeUser("ex@x.org", Role::kExpert);
  auto failed = db_->Write<bool>([&](soci::session& s) -> Result<bool> {
    FW_TRY(Qualification q, experts_->GrantQualification(s, ex.id, "law", 3, false, {}));
    EXPECT_EQ(q.level, 3);
    return Fail(ErrorCode::kConflict, "the caller's decision failed");
  });
  EXPECT_FALSE(failed);
  EXPECT_TRUE(experts_->Qualifications(ex.id)->empty());
  ASSERT_TRUE(db_->Write<bool>([&](soci::session& s) -> Result<bool> {
    FW_TRY(Qualification q, experts_->GrantQualification(s, ex.id, "law", 3, false, {}));
    return q.level == 3;
  }));
  EXPECT_EQ(experts_->Qualifications(ex.id)->size(), 1u);
}

TEST_P(ExpertServiceTest, GrantRejectsUnknownDomainsAndLevelsOutsideOneToFive) {
  orgs::User ex = MakeUser("ex@x.org", Role::kExpert);
  EXPECT_TRUE(IsError(experts_->GrantQualification(ex.id, "astrology", 3, false),
                      ErrorCode::kInvalidArgument, "domain"));
  EXPECT_TRUE(IsError(experts_->GrantQualification(ex.id, "physics", 0, false),
                      ErrorCode::kInvalidArgument, "level"));
  EXPECT_TRUE(IsError(experts_->GrantQualification(ex.id, "physics", 6, false),
                      ErrorCode::kInvalidArgument, "level"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM qualifications"), 0);
}

TEST_P(ExpertServiceTest, GrantToANonExpertOrUnknownUserIsNotFound) {
  orgs::Lab lab = MakeLab("lab");
  orgs::User op = MakeUser("op@x.org", Role::kOperator);
  orgs::User member = MakeUser("m@x.org", Role::kLabMember, lab.id);
  EXPECT_TRUE(
      IsError(experts_->GrantQualification(op.id, "physics", 3, false), ErrorCode::kNotFound));
  EXPECT_TRUE(
      IsError(experts_->GrantQualification(member.id, "physics", 3, false), ErrorCode::kNotFound));
  EXPECT_TRUE(
      IsError(experts_->GrantQualification(4242, "physics", 3, false), ErrorCode::kNotFound));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM qualifications"), 0);
}

TEST_P(ExpertServiceTest, RevokeRemovesAQualificationOnce) {
  orgs::User ex = MakeUser("ex@x.org", Role::kExpert);
  ASSERT_TRUE(experts_->GrantQualification(ex.id, "physics", 3, false));
  ASSERT_TRUE(experts_->GrantQualification(ex.id, "law", 3, false));
  ASSERT_TRUE(experts_->RevokeQualification(ex.id, "physics"));
  auto left = experts_->Qualifications(ex.id);
  ASSERT_TRUE(left);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].domain, "law");
  EXPECT_TRUE(IsError(experts_->RevokeQualification(ex.id, "physics"), ErrorCode::kNotFound));
}

TEST_P(ExpertServiceTest, ListenerSeesEachChangeInsideItsTransaction) {
  orgs::User ex = MakeUser("ex@x.org", Role::kExpert);
  std::vector<std::vector<Qualification>> seen;
  experts_->SetQualificationListener(
      [&](soci::session& s, std::int64_t user, const std::vector<Qualification>& held) -> Status {
        EXPECT_EQ(user, ex.id);
        seen.push_back(held);
        // Writes of the listener commit with the change.
        s << "INSERT INTO instance_settings (name, value) VALUES ('seen', 'x') "
             "ON CONFLICT (name) DO NOTHING";
        return {};
      });
  ASSERT_TRUE(experts_->GrantQualification(ex.id, "physics", 4, false));
  ASSERT_TRUE(experts_->GrantQualification(ex.id, "law", 2, false));
  ASSERT_TRUE(experts_->GrantQualification(ex.id, "physics", 2, false));  // lowered
  ASSERT_TRUE(experts_->RevokeQualification(ex.id, "law"));
  ASSERT_EQ(seen.size(), 4u);
  auto t = clock_.Now();
  EXPECT_EQ(seen[0], (std::vector<Qualification>{{"physics", 4, false, t, {}, ""}}));
  EXPECT_EQ(seen[2], (std::vector<Qualification>{{"law", 2, false, t, {}, ""}, {"physics", 2, false, t, {}, ""}}));
  EXPECT_EQ(seen[3], (std::vector<Qualification>{{"physics", 2, false, t, {}, ""}}));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM instance_settings WHERE name = 'seen'"), 1);
  // Refused changes never reach it.
  EXPECT_FALSE(experts_->RevokeQualification(ex.id, "law"));
  EXPECT_FALSE(experts_->GrantQualification(ex.id, "law", 9, false));
  EXPECT_EQ(seen.size(), 4u);
}

TEST_P(ExpertServiceTest, AFailingListenerLeavesTheQualificationAsItWas) {
  orgs::User ex = MakeUser("ex@x.org", Role::kExpert);
  ASSERT_TRUE(experts_->GrantQualification(ex.id, "physics", 4, false));
  experts_->SetQualificationListener(
      [](soci::session&, std::int64_t, const std::vector<Qualification>&) -> Status {
        return Fail(ErrorCode::kUnavailable, "try again");
      });
  EXPECT_TRUE(IsError(experts_->RevokeQualification(ex.id, "physics"), ErrorCode::kUnavailable));
  EXPECT_TRUE(
      IsError(experts_->GrantQualification(ex.id, "physics", 1, false), ErrorCode::kUnavailable));
  auto held = experts_->Qualifications(ex.id);
  ASSERT_TRUE(held);
  ASSERT_EQ(held->size(), 1u);
  EXPECT_EQ((*held)[0].level, 4);
}

TEST_P(ExpertServiceTest, RevokeRejectsUnknownDomainsAndNonExperts) {
  orgs::User ex = MakeUser("ex@x.org", Role::kExpert);
  orgs::User op = MakeUser("op@x.org", Role::kOperator);
  EXPECT_TRUE(IsError(experts_->RevokeQualification(ex.id, "astrology"),
                      ErrorCode::kInvalidArgument, "domain"));
  EXPECT_TRUE(IsError(experts_->RevokeQualification(op.id, "physics"), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(experts_->RevokeQualification(999, "physics"), ErrorCode::kNotFound));
}

TEST_P(ExpertServiceTest, QualificationsOfSomeoneWithNoneAreEmpty) {
  orgs::User op = MakeUser("op@x.org", Role::kOperator);
  auto none = experts_->Qualifications(op.id);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto unknown = experts_->Qualifications(31337);
  ASSERT_TRUE(unknown);
  EXPECT_TRUE(unknown->empty());
}

TEST_P(ExpertServiceTest, ReviewerGrantMakesTheCallerAReviewer) {
  orgs::User ex = MakeUser("ex@x.org", Role::kExpert);
  std::string token = Login("ex@x.org");
  ASSERT_TRUE(experts_->GrantQualification(ex.id, "law", 4, false));
  EXPECT_FALSE(auth_->Authenticate(token)->reviewer);
  ASSERT_TRUE(experts_->GrantQualification(ex.id, "law", 4, true));
  EXPECT_TRUE(auth_->Authenticate(token)->reviewer);
  ASSERT_TRUE(experts_->RevokeQualification(ex.id, "law"));
  EXPECT_FALSE(auth_->Authenticate(token)->reviewer);
}

TEST_P(ExpertServiceTest, ListExpertsGivesEveryExpertWithItsQualifications) {
  orgs::Lab lab = MakeLab("lab");
  MakeUser("op@x.org", Role::kOperator);
  MakeUser("m@x.org", Role::kLabMember, lab.id);
  orgs::User a = MakeUser("a@x.org", Role::kExpert);
  orgs::User b = MakeUser("b@x.org", Role::kExpert);
  orgs::User c = MakeUser("c@x.org", Role::kExpert);
  ASSERT_TRUE(experts_->GrantQualification(a.id, "physics", 2, false));
  ASSERT_TRUE(experts_->GrantQualification(c.id, "medicine", 5, true));
  ASSERT_TRUE(experts_->GrantQualification(a.id, "biology", 1, false));
  auto list = experts_->ListExperts();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].user.id, a.id);
  EXPECT_EQ((*list)[0].user.email, "a@x.org");
  EXPECT_EQ((*list)[0].user.role, Role::kExpert);
  ASSERT_EQ((*list)[0].qualifications.size(), 2u);
  EXPECT_EQ((*list)[0].qualifications[0].domain, "biology");
  EXPECT_EQ((*list)[0].qualifications[1].domain, "physics");
  EXPECT_EQ((*list)[1].user.id, b.id);
  EXPECT_TRUE((*list)[1].qualifications.empty());
  EXPECT_EQ((*list)[2].user.id, c.id);
  ASSERT_EQ((*list)[2].qualifications.size(), 1u);
  EXPECT_TRUE((*list)[2].qualifications[0].reviewer);
}

TEST_P(ExpertServiceTest, PseudonymsAreStablePerLabAndDifferAcrossLabsAndExperts) {
  orgs::Lab a = MakeLab("lab-a"), b = MakeLab("lab-b");
  orgs::User x = MakeUser("x@x.org", Role::kExpert);
  orgs::User y = MakeUser("y@x.org", Role::kExpert);
  auto xa = experts_->Pseudonym(a.id, x.id);
  ASSERT_TRUE(xa) << xa.error().message;
  EXPECT_EQ(xa->size(), 13u);
  EXPECT_EQ(xa->substr(0, 3), "ex_");
  EXPECT_EQ(xa->find_first_not_of("abcdefghijklmnopqrstuvwxyz234567", 3), std::string::npos);
  EXPECT_EQ(experts_->Pseudonym(a.id, x.id).value(), *xa);
  EXPECT_NE(experts_->Pseudonym(b.id, x.id).value(), *xa);
  EXPECT_NE(experts_->Pseudonym(a.id, y.id).value(), *xa);
  // Stable across restarts: a fresh service (empty cache) derives the same pseudonym.
  ExpertService fresh(*db_, clock_, ids_);
  EXPECT_EQ(fresh.Pseudonym(a.id, x.id).value(), *xa);
  EXPECT_EQ(fresh.Pseudonym(b.id, x.id).value(), experts_->Pseudonym(b.id, x.id).value());
}

TEST_P(ExpertServiceTest, PseudonymIsTheLabKeyedHashOfTheUserId) {
  orgs::Lab lab = MakeLab("lab");
  orgs::User x = MakeUser("x@x.org", Role::kExpert);
  long long oid = lab.id;
  auto hex = db_->Read<std::string>([&](soci::session& s) -> Result<std::string> {
    std::string k;
    s << "SELECT pseudonym_key FROM orgs WHERE id = :id", soci::into(k), soci::use(oid);
    return k;
  });
  ASSERT_TRUE(hex);
  std::string key;
  ASSERT_TRUE(security::FromHex(*hex, &key));
  std::string digest = security::KeyedHash(key, std::to_string(x.id));
  std::string want =
      "ex_" + security::Base32(reinterpret_cast<const unsigned char*>(digest.data()), digest.size())
                  .substr(0, 10);
  EXPECT_EQ(experts_->Pseudonym(lab.id, x.id).value(), want);
}

TEST_P(ExpertServiceTest, PseudonymForAnUnknownLabIsNotFound) {
  orgs::User x = MakeUser("x@x.org", Role::kExpert);
  EXPECT_TRUE(IsError(experts_->Pseudonym(404, x.id), ErrorCode::kNotFound));
}

TEST_P(ExpertServiceTest, PseudonymsAreConsistentUnderConcurrentFirstUse) {
  std::vector<orgs::Lab> labs = {MakeLab("l1"), MakeLab("l2"), MakeLab("l3")};
  std::vector<std::set<std::string>> seen(labs.size());
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (std::size_t i = 0; i < labs.size(); ++i) {
        auto p = experts_->Pseudonym(labs[i].id, 7);
        ASSERT_TRUE(p);
        std::lock_guard lock(mu);
        seen[i].insert(*p);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& s : seen) EXPECT_EQ(s.size(), 1u);
  EXPECT_EQ((std::set<std::string>{*seen[0].begin(), *seen[1].begin(), *seen[2].begin()}).size(),
            3u);
}

FW_INSTANTIATE_BACKENDS(ExpertServiceTest);

}  // namespace
}  // namespace fw::experts
