// Account hardening on SQLite and PostgreSQL: login throttling and the hash gate, sessions
// (listing, revoking, what a password change ends), lab invitations and deactivation.

#include <gtest/gtest.h>

#include "orgs/auth.h"
#include "orgs/internal/throttle.h"
#include "orgs/orgs.h"
#include "orgs/testing.h"
#include "security/crypto.h"

namespace fw::orgs {
namespace {

using testing::IsError;
using testing::kPassword;
using testing::SecretIn;

class AccountsTest : public testing::ServicesTest {
 protected:
  void SetUp() override {
    // Nobody waits for a permit, so a full gate refuses at once.
    options_.max_waiting_hashes = 0;
    ServicesTest::SetUp();
  }

  // A login from `address` with the wrong password.
  Result<Session> WrongLogin(const std::string& email, const std::string& address = "10.0.0.1",
                             LoginRefusal* refusal = nullptr) {
    return auth_->Login(email, "not the password", {address, "test"}, refusal);
  }

  // Holds every permit of the gate, so any hashing would fail with "overloaded".
  std::vector<HashGate::Permit> FillGate() {
    std::vector<HashGate::Permit> held;
    for (;;) {
      auto p = orgs_->hash_gate().Enter();
      if (!p) return held;
      held.push_back(std::move(*p));
    }
  }
};

// ---- login throttling

TEST_P(AccountsTest, AnAccountIsThrottledAfterFiveFailuresForAGrowingWhile) {
  if (NotReady()) return;
  MakeUser("u@x.org", Role::kExpert);
  for (int i = 0; i < 6; ++i) {
    EXPECT_TRUE(IsError(WrongLogin("u@x.org"), ErrorCode::kUnauthenticated)) << i;
  }
  LoginRefusal refusal;
  // Even the right password is refused while the account waits.
  EXPECT_TRUE(IsError(auth_->Login("u@x.org", kPassword, {"10.0.0.1", ""}, &refusal),
                      ErrorCode::kResourceExhausted, {}, "too_many_attempts"));
  EXPECT_EQ(refusal.retry_after_seconds, 1);
  clock_.Advance(1);
  EXPECT_TRUE(IsError(WrongLogin("u@x.org"), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(IsError(WrongLogin("u@x.org", "10.0.0.1", &refusal), ErrorCode::kResourceExhausted));
  EXPECT_EQ(refusal.retry_after_seconds, 2);
  clock_.Advance(2);
  // A success clears the account's count: the next five failures are free again.
  EXPECT_TRUE(auth_->Login("u@x.org", kPassword, {"10.0.0.1", ""}));
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(IsError(WrongLogin("u@x.org"), ErrorCode::kUnauthenticated)) << i;
  }
}

TEST_P(AccountsTest, UnknownEmailsAreThrottledExactlyLikeKnownOnes) {
  if (NotReady()) return;
  MakeUser("known@x.org", Role::kExpert);
  for (const char* email : {"known@x.org", "Ghost@x.org"}) {
    for (int i = 0; i < 6; ++i) EXPECT_TRUE(IsError(WrongLogin(email, ""), ErrorCode::kUnauthenticated));
    LoginRefusal refusal;
    EXPECT_TRUE(IsError(WrongLogin(email, "", &refusal), ErrorCode::kResourceExhausted)) << email;
    EXPECT_EQ(refusal.retry_after_seconds, 1);
  }
  EXPECT_TRUE(IsError(WrongLogin("ghost@x.org", ""), ErrorCode::kResourceExhausted));
}

TEST_P(AccountsTest, AnAddressIsThrottledAfterTwentyFailuresAcrossAccounts) {
  if (NotReady()) return;
  MakeUser("u@x.org", Role::kExpert);
  for (int i = 0; i < 21; ++i) {
    EXPECT_TRUE(IsError(WrongLogin("probe" + std::to_string(i) + "@x.org", "192.0.2.7"),
                        ErrorCode::kUnauthenticated));
  }
  LoginRefusal refusal;
  EXPECT_TRUE(IsError(auth_->Login("u@x.org", kPassword, {"192.0.2.7", ""}, &refusal),
                      ErrorCode::kResourceExhausted, {}, "too_many_attempts"));
  EXPECT_EQ(refusal.retry_after_seconds, 1);
  EXPECT_TRUE(auth_->Login("u@x.org", kPassword, {"192.0.2.8", ""}));
}

TEST_P(AccountsTest, AThrottledLoginIsRefusedBeforeAnyHashing) {
  if (NotReady()) return;
  for (int i = 0; i < 6; ++i) ASSERT_FALSE(WrongLogin("u@x.org"));
  auto held = FillGate();
  // With every permit taken, any hashing would answer "overloaded".
  EXPECT_TRUE(IsError(WrongLogin("u@x.org"), ErrorCode::kResourceExhausted));
  EXPECT_TRUE(IsError(WrongLogin("other@x.org"), ErrorCode::kUnavailable, {}, "overloaded"));
}

TEST_P(AccountsTest, FailuresAreStoredHashedAndExpiredRowsAreDeleted) {
  if (NotReady()) return;
  ASSERT_FALSE(WrongLogin("u@x.org", "10.0.0.1"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM login_failures"), 2);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM login_failures WHERE subject LIKE '%u@x.org%' OR "
                     "subject LIKE '%10.0.0.1%'"),
            0);
  clock_.Advance(internal::kAccountRule.window_seconds);
  ASSERT_FALSE(WrongLogin("v@x.org", "10.0.0.2"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM login_failures"), 2);
  // A successful login writes nothing when there is nothing to clear.
  MakeUser("w@x.org", Role::kExpert);
  Login("w@x.org");
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM login_failures"), 2);
}

// ---- the hash gate on every password path

TEST_P(AccountsTest, EveryPasswordPathAnswersOverloadedWhenTheGateIsFull) {
  if (NotReady()) return;
  Lab lab = MakeLab("lab");
  User owner = MakeUser("owner@x.org", Role::kLabOwner, lab.id);
  ASSERT_TRUE(orgs_->Invite(CallerOf(owner), "new@x.org", Role::kLabMember));
  std::string secret = SecretIn(mail_.back());
  auto held = FillGate();
  auto overloaded = [](const auto& r) {
    return IsError(r, ErrorCode::kUnavailable, {}, "overloaded");
  };
  EXPECT_TRUE(overloaded(auth_->Login("owner@x.org", kPassword)));
  EXPECT_TRUE(overloaded(orgs_->CreateUser({"n@x.org", "N", "a long password", Role::kExpert, 0})));
  EXPECT_TRUE(overloaded(orgs_->ChangePassword(CallerOf(owner), kPassword, "a new long password")));
  EXPECT_TRUE(overloaded(orgs_->ResetPassword("owner@x.org", "a new long password")));
  EXPECT_TRUE(overloaded(orgs_->ResetPasswordOf(owner.id, "a new long password")));
  EXPECT_TRUE(overloaded(orgs_->AcceptInvitation(secret, "New", "a new long password")));
  held.clear();
  EXPECT_TRUE(auth_->Login("owner@x.org", kPassword));
}

// ---- sessions

TEST_P(AccountsTest, SessionsAreListedWithWhereTheyCameFromAndTheCurrentOneMarked) {
  if (NotReady()) return;
  User u = MakeUser("u@x.org", Role::kExpert);
  MakeUser("v@x.org", Role::kExpert);
  auto first = auth_->Login("u@x.org", kPassword, {"10.0.0.1", std::string(300, 'a')});
  ASSERT_TRUE(first);
  clock_.Advance(1);
  std::string second = Login("u@x.org");
  std::string revoked = Login("u@x.org");
  ASSERT_TRUE(auth_->Logout(revoked));
  Login("v@x.org");
  ASSERT_TRUE(orgs_->CreateToken(CallerOf(u), "api"));
  auto list = orgs_->ListSessions(CallerOf(u), second);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_TRUE((*list)[0].current);
  EXPECT_FALSE((*list)[0].address.has_value());
  EXPECT_FALSE((*list)[1].current);
  EXPECT_EQ((*list)[1].address, "10.0.0.1");
  EXPECT_EQ((*list)[1].user_agent, std::string(kMaxUserAgentLength, 'a'));
  EXPECT_EQ((*list)[1].created_at, clock_.Now() - 1);
  EXPECT_EQ((*list)[1].expires_at, clock_.Now() - 1 + 3600);
  clock_.Advance(3599);
  EXPECT_EQ(orgs_->ListSessions(CallerOf(u), second)->size(), 1u);
}

TEST_P(AccountsTest, RevokingOneSessionOfAnotherUserIsNotFound) {
  if (NotReady()) return;
  User u = MakeUser("u@x.org", Role::kExpert);
  User v = MakeUser("v@x.org", Role::kExpert);
  std::string mine = Login("u@x.org");
  auto id = orgs_->ListSessions(CallerOf(u), mine)->front().id;
  EXPECT_TRUE(IsError(orgs_->RevokeSession(CallerOf(v), id), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(orgs_->RevokeSession(CallerOf(u), 999999), ErrorCode::kNotFound));
  auto api = orgs_->CreateToken(CallerOf(u), "api");
  EXPECT_TRUE(IsError(orgs_->RevokeSession(CallerOf(u), api->token.id), ErrorCode::kNotFound));
  EXPECT_TRUE(auth_->Authenticate(mine));
  ASSERT_TRUE(orgs_->RevokeSession(CallerOf(u), id));
  ASSERT_TRUE(orgs_->RevokeSession(CallerOf(u), id));  // a retry succeeds
  EXPECT_TRUE(IsError(auth_->Authenticate(mine), ErrorCode::kUnauthenticated));
}

TEST_P(AccountsTest, RevokeSessionsKeepsTheCurrentOneUnlessAllAreAsked) {
  if (NotReady()) return;
  User u = MakeUser("u@x.org", Role::kExpert);
  std::string a = Login("u@x.org"), b = Login("u@x.org"), c = Login("u@x.org");
  auto api = orgs_->CreateToken(CallerOf(u), "api");
  EXPECT_EQ(orgs_->RevokeSessions(CallerOf(u), a).value_or(-1), 2);
  EXPECT_TRUE(auth_->Authenticate(a));
  EXPECT_FALSE(auth_->Authenticate(b));
  EXPECT_FALSE(auth_->Authenticate(c));
  EXPECT_EQ(orgs_->RevokeSessions(CallerOf(u), "").value_or(-1), 1);
  EXPECT_FALSE(auth_->Authenticate(a));
  EXPECT_TRUE(auth_->Authenticate(api->secret));
}

TEST_P(AccountsTest, RevokeTokensEndsEveryApiTokenButNoSession) {
  if (NotReady()) return;
  User u = MakeUser("u@x.org", Role::kExpert);
  User v = MakeUser("v@x.org", Role::kExpert);
  std::string session = Login("u@x.org");
  auto t1 = orgs_->CreateToken(CallerOf(u), "one");
  auto t2 = orgs_->CreateToken(CallerOf(u), "two");
  auto theirs = orgs_->CreateToken(CallerOf(v), "theirs");
  EXPECT_EQ(orgs_->RevokeTokens(CallerOf(u)).value_or(-1), 2);
  EXPECT_FALSE(auth_->Authenticate(t1->secret));
  EXPECT_FALSE(auth_->Authenticate(t2->secret));
  EXPECT_TRUE(auth_->Authenticate(theirs->secret));
  EXPECT_TRUE(auth_->Authenticate(session));
  EXPECT_TRUE(orgs_->ListTokens(CallerOf(u))->empty());
}

TEST_P(AccountsTest, AnOperatorResetEndsEverySessionButNoApiToken) {
  if (NotReady()) return;
  User u = MakeUser("u@x.org", Role::kExpert);
  std::string a = Login("u@x.org"), b = Login("u@x.org");
  auto api = orgs_->CreateToken(CallerOf(u), "api");
  ASSERT_TRUE(orgs_->ResetPasswordOf(u.id, "a brand new password"));
  EXPECT_FALSE(auth_->Authenticate(a));
  EXPECT_FALSE(auth_->Authenticate(b));
  EXPECT_TRUE(auth_->Authenticate(api->secret));
  EXPECT_TRUE(auth_->Login("u@x.org", "a brand new password"));
  EXPECT_TRUE(IsError(orgs_->ResetPasswordOf(999999, "a brand new password"), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(orgs_->ResetPasswordOf(u.id, "short"), ErrorCode::kInvalidArgument, "password"));
}

// ---- invitations

TEST_P(AccountsTest, AnInvitationLooksTheSameWhetherOrNotTheAddressHasAnAccount) {
  if (NotReady()) return;
  Lab lab = MakeLab("lab");
  User owner = MakeUser("owner@x.org", Role::kLabOwner, lab.id);
  MakeUser("taken@x.org", Role::kExpert);
  auto fresh = orgs_->Invite(CallerOf(owner), "Fresh@x.org", Role::kLabMember);
  auto taken = orgs_->Invite(CallerOf(owner), "taken@x.org", Role::kLabMember);
  ASSERT_TRUE(fresh && taken);
  EXPECT_EQ(fresh->email, "fresh@x.org");
  EXPECT_EQ(fresh->state, InvitationState::kPending);
  EXPECT_EQ(taken->state, InvitationState::kPending);
  EXPECT_EQ(fresh->expires_at, clock_.Now() + 7 * 24 * 3600);
  ASSERT_EQ(mail_.size(), 2u);
  EXPECT_EQ(mail_[0].to, "fresh@x.org");
  EXPECT_EQ(mail_[1].to, "taken@x.org");
  EXPECT_EQ(mail_[0].subject, mail_[1].subject);
  std::string secret = SecretIn(mail_[0]);
  EXPECT_EQ(secret.substr(0, 4), "fwi_");
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM invitations WHERE token_hash = '" +
                     security::TokenHash(secret) + "'"),
            1);
  auto list = orgs_->ListInvitations(CallerOf(owner));
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 2u);
}

TEST_P(AccountsTest, AcceptingCreatesTheUserInTheLabOnce) {
  if (NotReady()) return;
  Lab lab = MakeLab("lab");
  User owner = MakeUser("owner@x.org", Role::kLabOwner, lab.id);
  ASSERT_TRUE(orgs_->Invite(CallerOf(owner), "new@x.org", Role::kLabOwner));
  std::string secret = SecretIn(mail_.back());
  EXPECT_TRUE(IsError(orgs_->AcceptInvitation(secret, " ", "a long password"),
                      ErrorCode::kInvalidArgument, "name"));
  EXPECT_TRUE(IsError(orgs_->AcceptInvitation(secret, "New", "short"),
                      ErrorCode::kInvalidArgument, "password"));
  auto user = orgs_->AcceptInvitation(secret, "New Owner", "a long password");
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->email, "new@x.org");
  EXPECT_EQ(user->role, Role::kLabOwner);
  EXPECT_EQ(user->org_id, lab.id);
  EXPECT_TRUE(auth_->Login("new@x.org", "a long password"));
  EXPECT_TRUE(IsError(orgs_->AcceptInvitation(secret, "Again", "a long password"),
                      ErrorCode::kNotFound, {}, "invitation_invalid"));
  EXPECT_TRUE(orgs_->ListInvitations(CallerOf(owner))->empty());
}

TEST_P(AccountsTest, AcceptingForAnAddressWithAnAccountIsEmailTaken) {
  if (NotReady()) return;
  Lab lab = MakeLab("lab");
  User owner = MakeUser("owner@x.org", Role::kLabOwner, lab.id);
  MakeUser("taken@x.org", Role::kExpert);
  ASSERT_TRUE(orgs_->Invite(CallerOf(owner), "taken@x.org", Role::kLabMember));
  EXPECT_TRUE(IsError(orgs_->AcceptInvitation(SecretIn(mail_.back()), "T", "a long password"),
                      ErrorCode::kConflict, "email", "email_taken"));
}

TEST_P(AccountsTest, ExpiredWithdrawnAndUnknownInvitationsCannotBeAccepted) {
  if (NotReady()) return;
  Lab lab = MakeLab("lab");
  User owner = MakeUser("owner@x.org", Role::kLabOwner, lab.id);
  auto withdrawn = orgs_->Invite(CallerOf(owner), "w@x.org", Role::kLabMember);
  std::string withdrawn_secret = SecretIn(mail_.back());
  ASSERT_TRUE(orgs_->WithdrawInvitation(CallerOf(owner), withdrawn->id));
  ASSERT_TRUE(orgs_->WithdrawInvitation(CallerOf(owner), withdrawn->id));  // a retry succeeds
  ASSERT_TRUE(orgs_->Invite(CallerOf(owner), "e@x.org", Role::kLabMember));
  std::string expired_secret = SecretIn(mail_.back());
  clock_.Advance(7 * 24 * 3600);
  for (const std::string& s : {withdrawn_secret, expired_secret, std::string("fwi_nope"),
                               std::string("not even a code")}) {
    EXPECT_TRUE(IsError(orgs_->AcceptInvitation(s, "N", "a long password"), ErrorCode::kNotFound,
                        {}, "invitation_invalid"))
        << s;
  }
  EXPECT_TRUE(orgs_->ListInvitations(CallerOf(owner))->empty());
}

TEST_P(AccountsTest, InvitationsBelongToTheirLab) {
  if (NotReady()) return;
  Lab a = MakeLab("lab-a"), b = MakeLab("lab-b");
  User owner_a = MakeUser("a@x.org", Role::kLabOwner, a.id);
  User owner_b = MakeUser("b@x.org", Role::kLabOwner, b.id);
  auto inv = orgs_->Invite(CallerOf(owner_a), "new@x.org", Role::kLabMember);
  ASSERT_TRUE(inv);
  EXPECT_TRUE(orgs_->ListInvitations(CallerOf(owner_b))->empty());
  EXPECT_TRUE(IsError(orgs_->WithdrawInvitation(CallerOf(owner_b), inv->id), ErrorCode::kNotFound));
  EXPECT_EQ(orgs_->ListInvitations(CallerOf(owner_a))->size(), 1u);
  ASSERT_TRUE(orgs_->AcceptInvitation(SecretIn(mail_.back()), "New", "a long password"));
  EXPECT_TRUE(IsError(orgs_->WithdrawInvitation(CallerOf(owner_a), inv->id),
                      ErrorCode::kConflict, {}, "invitation_accepted"));
}

TEST_P(AccountsTest, InviteChecksTheAddressAndRoleAndReportsDeliveryFailures) {
  if (NotReady()) return;
  Lab lab = MakeLab("lab");
  User owner = MakeUser("owner@x.org", Role::kLabOwner, lab.id);
  EXPECT_TRUE(IsError(orgs_->Invite(CallerOf(owner), "nope", Role::kLabMember),
                      ErrorCode::kInvalidArgument, "email"));
  EXPECT_TRUE(IsError(orgs_->Invite(CallerOf(owner), "n@x.org", Role::kExpert),
                      ErrorCode::kInvalidArgument, "role"));
  EXPECT_TRUE(IsError(orgs_->Invite(CallerOf(owner), "n@x.org", Role::kOperator),
                      ErrorCode::kInvalidArgument, "role"));
  mail_fails_ = true;
  EXPECT_TRUE(IsError(orgs_->Invite(CallerOf(owner), "n@x.org", Role::kLabMember),
                      ErrorCode::kUnavailable, {}, "mail_failed"));
  EXPECT_TRUE(orgs_->ListInvitations(CallerOf(owner))->empty());
  EXPECT_TRUE(mail_.empty());
  orgs_->SetMailer(nullptr);
  EXPECT_TRUE(IsError(orgs_->Invite(CallerOf(owner), "n@x.org", Role::kLabMember),
                      ErrorCode::kUnavailable));
}

// ---- deactivation

TEST_P(AccountsTest, DeactivationRevokesEverythingAtOnceAndTellsTheListener) {
  if (NotReady()) return;
  User op = MakeUser("op@x.org", Role::kOperator);
  User u = MakeUser("u@x.org", Role::kExpert);
  std::vector<std::int64_t> told;
  orgs_->SetDeactivationListener([&](std::int64_t id) { told.push_back(id); });
  std::string session = Login("u@x.org");
  auto api = orgs_->CreateToken(CallerOf(u), "api");
  auto user = orgs_->Deactivate(CallerOf(op), u.id);
  ASSERT_TRUE(user);
  EXPECT_TRUE(user->disabled);
  EXPECT_EQ(told, std::vector<std::int64_t>{u.id});
  EXPECT_FALSE(auth_->Authenticate(session));
  EXPECT_FALSE(auth_->Authenticate(api->secret));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM tokens WHERE user_id = " + std::to_string(u.id) +
                     " AND revoked_at IS NULL"),
            0);
  EXPECT_TRUE(IsError(auth_->Login("u@x.org", kPassword), ErrorCode::kUnauthenticated));
  auto back = orgs_->Reactivate(u.id);
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->disabled);
  EXPECT_FALSE(auth_->Authenticate(api->secret));  // revoked stays revoked
  EXPECT_TRUE(auth_->Login("u@x.org", kPassword));
}

TEST_P(AccountsTest, DeactivationRefusesUnknownUsersAndTheOperatorThemself) {
  if (NotReady()) return;
  User op = MakeUser("op@x.org", Role::kOperator);
  EXPECT_TRUE(IsError(orgs_->Deactivate(CallerOf(op), 999999), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(orgs_->Reactivate(999999), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(orgs_->Deactivate(CallerOf(op), op.id), ErrorCode::kInvalidArgument, {},
                      "self"));
}

FW_INSTANTIATE_BACKENDS(AccountsTest);

}  // namespace
}  // namespace fw::orgs
