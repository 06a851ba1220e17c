#include <set>

#include <gtest/gtest.h>

#include "security/crypto.h"
#include "security/ids.h"

namespace fw::security {
namespace {

TEST(Password, VerifiesTheRightPasswordOnly) {
  ASSERT_TRUE(InitCrypto());
  auto h = HashPassword("correct horse", /*fast=*/true);
  ASSERT_TRUE(h);
  EXPECT_NE(h->find("argon2id"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*h, "correct horse"));
  EXPECT_FALSE(VerifyPassword(*h, "correct horsE"));
  EXPECT_FALSE(VerifyPassword("garbage", "correct horse"));
}

TEST(Token, IsRandomAndHashedDeterministically) {
  ASSERT_TRUE(InitCrypto());
  auto a = NewToken("fwt_"), b = NewToken("fwt_");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.substr(0, 4), "fwt_");
  EXPECT_EQ(TokenHash(a), TokenHash(a));
  EXPECT_NE(TokenHash(a), TokenHash(b));
  EXPECT_EQ(TokenHash(a).size(), 64u);
}

TEST(IdCodec, RoundTripsAndIsNotSequential) {
  ASSERT_TRUE(InitCrypto());
  IdCodec codec("0123456789abcdef0123456789abcdef");
  std::set<std::string> seen;
  for (std::int64_t i = 1; i < 2000; ++i) {
    auto s = codec.Encode(IdKind::kItem, i);
    EXPECT_EQ(codec.Decode(IdKind::kItem, s), i);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 1999u);
  // Consecutive ids share no visible order.
  EXPECT_FALSE(codec.Encode(IdKind::kItem, 1) < codec.Encode(IdKind::kItem, 2) &&
               codec.Encode(IdKind::kItem, 2) < codec.Encode(IdKind::kItem, 3) &&
               codec.Encode(IdKind::kItem, 3) < codec.Encode(IdKind::kItem, 4));
}

TEST(IdCodec, RejectsOtherKindsKeysAndGarbage) {
  IdCodec codec("0123456789abcdef0123456789abcdef");
  IdCodec other("fedcba9876543210fedcba9876543210");
  auto s = codec.Encode(IdKind::kProject, 42);
  EXPECT_FALSE(codec.Decode(IdKind::kItem, s));
  EXPECT_FALSE(other.Decode(IdKind::kProject, s).has_value() && *other.Decode(IdKind::kProject, s) == 42);
  EXPECT_FALSE(codec.Decode(IdKind::kProject, "prj_"));
  EXPECT_FALSE(codec.Decode(IdKind::kProject, "prj_0000000000000"));
  EXPECT_FALSE(codec.Decode(IdKind::kProject, s + "a"));
}

TEST(IdCodec, FindAnswersNotFoundNamingTheKindForAnyIdThatDoesNotDecode) {
  IdCodec codec("0123456789abcdef0123456789abcdef");
  EXPECT_EQ(*codec.Find(IdKind::kToken, codec.Encode(IdKind::kToken, 7)), 7);
  auto foreign = codec.Find(IdKind::kToken, codec.Encode(IdKind::kProject, 7));
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(foreign.error().message, "no such API token");
  auto garbage = codec.Find(IdKind::kProject, "prj_\x01");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().message, "no such project");
  for (IdKind kind : {IdKind::kOrg, IdKind::kUser, IdKind::kItem, IdKind::kAssignment,
                      IdKind::kSubmission, IdKind::kImport, IdKind::kExpert, IdKind::kSession,
                      IdKind::kInvitation, IdKind::kCredential, IdKind::kAffiliation,
                      IdKind::kExpertInvitation, IdKind::kExam, IdKind::kExamQuestion,
                      IdKind::kExamAttempt, IdKind::kExamGrading, IdKind::kReview,
                      IdKind::kDispute, IdKind::kTransaction, IdKind::kInvoice,
                      IdKind::kPayout}) {
    EXPECT_NE(IdNoun(kind), "resource");
    EXPECT_EQ(IdPrefix(kind).size(), 3u);
  }
}

}  // namespace
}  // namespace fw::security
