// Expert sign-up: the instance's mode, invitations by e-mail, and accounts made by
// OrgService, on SQLite and PostgreSQL.

#include "experts/signup.h"

#include <gtest/gtest.h>

#include "orgs/testing.h"

namespace fw::experts {
namespace {

using orgs::testing::IsError;
using orgs::testing::kPassword;

// The expert invitation secret ("fwx_...") in a message's body, or "".
std::string ExpertSecretIn(const orgs::MailMessage& m) {
  auto at = m.body.find(kExpertInvitationPrefix);
  if (at == std::string::npos) return "";
  auto end = m.body.find_first_of(" \n\"", at);
  return m.body.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

class SignupTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    signup_ = std::make_unique<SignupService>(*db_, clock_, *orgs_);
    op_ = MakeUser("op@x.org", Role::kOperator);
  }

  std::string Invite(const std::string& email) {
    auto inv = signup_->Invite(CallerOf(op_), email);
    EXPECT_TRUE(inv) << inv.error().message;
    EXPECT_FALSE(mail_.empty());
    return mail_.empty() ? "" : ExpertSecretIn(mail_.back());
  }

  SignupRequest Request(std::string email, std::string invitation = {}) {
    return {std::move(email), "New Expert", kPassword, std::move(invitation)};
  }

  std::unique_ptr<SignupService> signup_;
  orgs::User op_;
};

TEST_P(SignupTest, TheModeIsClosedUntilTheOperatorChangesIt) {
  EXPECT_EQ(signup_->Mode().value(), SignupMode::kClosed);
  ASSERT_TRUE(signup_->SetMode(SignupMode::kOpen));
  EXPECT_EQ(signup_->Mode().value(), SignupMode::kOpen);
  ASSERT_TRUE(signup_->SetMode(SignupMode::kInvitation));
  EXPECT_EQ(signup_->Mode().value(), SignupMode::kInvitation);
  EXPECT_EQ(ParseSignupMode("open"), SignupMode::kOpen);
  EXPECT_EQ(ParseSignupMode("Open"), std::nullopt);
}

TEST_P(SignupTest, ClosedModeRefusesEveryoneAndEveryInvitation) {
  auto r = signup_->SignUp(Request("new@x.org"));
  EXPECT_TRUE(IsError(r, ErrorCode::kPermissionDenied, "", "signup_closed"));
  EXPECT_TRUE(IsError(signup_->Invite(CallerOf(op_), "new@x.org"), ErrorCode::kConflict, "",
                      "signup_closed"));
  EXPECT_TRUE(mail_.empty());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users WHERE email = 'new@x.org'"), 0);
}

TEST_P(SignupTest, OpenModeMakesAnExpertAccount) {
  ASSERT_TRUE(signup_->SetMode(SignupMode::kOpen));
  auto user = signup_->SignUp(Request("New@X.org"));
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->role, Role::kExpert);
  EXPECT_EQ(user->email, "new@x.org");
  EXPECT_EQ(user->org_id, 0);
  EXPECT_FALSE(Login("new@x.org").empty());
  EXPECT_TRUE(IsError(signup_->SignUp(Request("new@x.org")), ErrorCode::kConflict, "email",
                      "email_taken"));
}

TEST_P(SignupTest, AccountsFollowThePasswordAndNameRules) {
  ASSERT_TRUE(signup_->SetMode(SignupMode::kOpen));
  SignupRequest r = Request("new@x.org");
  r.password = "short";
  EXPECT_TRUE(IsError(signup_->SignUp(r), ErrorCode::kInvalidArgument, "password"));
  r = Request("new@x.org");
  r.password = "new@x.org";
  EXPECT_TRUE(IsError(signup_->SignUp(r), ErrorCode::kInvalidArgument, "password"));
  r = Request("not-an-email");
  EXPECT_TRUE(IsError(signup_->SignUp(r), ErrorCode::kInvalidArgument, "email"));
  r = Request("");
  EXPECT_TRUE(IsError(signup_->SignUp(r), ErrorCode::kInvalidArgument, "email"));
  r = Request("new@x.org");
  r.name = " ";
  EXPECT_TRUE(IsError(signup_->SignUp(r), ErrorCode::kInvalidArgument, "name"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users WHERE role = 'expert'"), 0);
}

TEST_P(SignupTest, InvitationModeNeedsAnInvitation) {
  ASSERT_TRUE(signup_->SetMode(SignupMode::kInvitation));
  EXPECT_TRUE(IsError(signup_->SignUp(Request("new@x.org")), ErrorCode::kPermissionDenied,
                      "invitation", "invitation_required"));
  std::string secret = Invite("Invited@X.org");
  ASSERT_EQ(secret.rfind("fwx_", 0), 0u) << mail_.back().body;
  EXPECT_EQ(mail_.back().to, "invited@x.org");
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM expert_invitations WHERE token_hash LIKE 'fwx_%'"),
            0);  // only the hash is kept
  auto user = signup_->SignUp(Request("", secret));
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->email, "invited@x.org");
  EXPECT_EQ(user->role, Role::kExpert);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM expert_invitations WHERE accepted_at IS NOT NULL AND "
                     "user_id = " + std::to_string(user->id)),
            1);
  // The secret works once.
  EXPECT_TRUE(IsError(signup_->SignUp(Request("", secret)), ErrorCode::kNotFound, "invitation",
                      "invitation_invalid"));
  EXPECT_TRUE(signup_->ListInvitations().value().empty());
}

TEST_P(SignupTest, BadExpiredAndMismatchedInvitationsAreRefusedAndStoreNothing) {
  ASSERT_TRUE(signup_->SetMode(SignupMode::kInvitation));
  EXPECT_TRUE(IsError(signup_->SignUp(Request("", "fwx_nonsense")), ErrorCode::kNotFound, "",
                      "invitation_invalid"));
  EXPECT_TRUE(IsError(signup_->SignUp(Request("", "fwi_lab_invitation")), ErrorCode::kNotFound,
                      "", "invitation_invalid"));
  std::string secret = Invite("invited@x.org");
  EXPECT_TRUE(IsError(signup_->SignUp(Request("other@x.org", secret)),
                      ErrorCode::kInvalidArgument, "email"));
  EXPECT_TRUE(signup_->SignUp(Request("INVITED@x.org", secret)));  // the same address
  std::string later = Invite("late@x.org");
  clock_.Advance(15 * 24 * 3600);
  EXPECT_TRUE(IsError(signup_->SignUp(Request("", later)), ErrorCode::kNotFound, "",
                      "invitation_invalid"));
  EXPECT_EQ(signup_->ListInvitations().value().at(0).state, "expired");
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM users WHERE email IN ('other@x.org', 'late@x.org')"),
            0);
}

TEST_P(SignupTest, OpenModeStillHonoursAnInvitation) {
  ASSERT_TRUE(signup_->SetMode(SignupMode::kOpen));
  std::string secret = Invite("invited@x.org");
  ASSERT_TRUE(signup_->SignUp(Request("", secret)));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM expert_invitations WHERE accepted_at IS NOT NULL"), 1);
}

TEST_P(SignupTest, InvitingAgainReplacesTheEarlierInvitation) {
  ASSERT_TRUE(signup_->SetMode(SignupMode::kInvitation));
  std::string first = Invite("invited@x.org");
  std::string second = Invite("invited@x.org");
  EXPECT_NE(first, second);
  EXPECT_EQ(signup_->ListInvitations().value().size(), 1u);
  EXPECT_TRUE(IsError(signup_->SignUp(Request("", first)), ErrorCode::kNotFound));
  EXPECT_TRUE(signup_->SignUp(Request("", second)));
}

TEST_P(SignupTest, InvitingAnAddressWithAnAccountIsAConflict) {
  ASSERT_TRUE(signup_->SetMode(SignupMode::kInvitation));
  MakeUser("taken@x.org", Role::kExpert);
  EXPECT_TRUE(IsError(signup_->Invite(CallerOf(op_), "taken@x.org"), ErrorCode::kConflict,
                      "email", "email_taken"));
  EXPECT_TRUE(IsError(signup_->Invite(CallerOf(op_), "nope"), ErrorCode::kInvalidArgument,
                      "email"));
}

TEST_P(SignupTest, AFailedMailKeepsNoInvitation) {
  ASSERT_TRUE(signup_->SetMode(SignupMode::kInvitation));
  mail_fails_ = true;
  EXPECT_TRUE(IsError(signup_->Invite(CallerOf(op_), "invited@x.org"), ErrorCode::kUnavailable,
                      "", "mail_failed"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM expert_invitations"), 0);
}

TEST_P(SignupTest, AWithdrawnInvitationCannotBeUsed) {
  ASSERT_TRUE(signup_->SetMode(SignupMode::kInvitation));
  std::string secret = Invite("invited@x.org");
  auto list = signup_->ListInvitations().value();
  ASSERT_EQ(list.size(), 1u);
  ASSERT_TRUE(signup_->WithdrawInvitation(list[0].id));
  EXPECT_TRUE(IsError(signup_->WithdrawInvitation(list[0].id), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(signup_->SignUp(Request("", secret)), ErrorCode::kNotFound, "",
                      "invitation_invalid"));
}

TEST_P(SignupTest, AUsedInvitationCannotBeWithdrawn) {
  ASSERT_TRUE(signup_->SetMode(SignupMode::kInvitation));
  std::string secret = Invite("invited@x.org");
  long long id = QueryInt("SELECT id FROM expert_invitations");
  ASSERT_TRUE(signup_->SignUp(Request("", secret)));
  EXPECT_TRUE(IsError(signup_->WithdrawInvitation(id), ErrorCode::kConflict, "",
                      "invitation_accepted"));
}

FW_INSTANTIATE_BACKENDS(SignupTest);

}  // namespace
}  // namespace fw::experts
