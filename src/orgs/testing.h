#pragma once
// Test support for this and later rooms (include it from *_test.cc only; needs GoogleTest):
// a fixture that opens a fresh, migrated database per test (db::testing::TestDatabase: SQLite
// in a temporary directory and, when FACHWERK_TEST_POSTGRES names a server, PostgreSQL in a
// schema of its own, so test binaries can share one server in parallel);
// ServicesTest adds an OrgService and AuthService with helpers that seed labs and users.
// Contract suites derive from them and run on both backends via FW_INSTANTIATE_BACKENDS(Suite).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "db/database.h"
#include "db/testing.h"
#include "orgs/auth.h"
#include "orgs/mailer.h"
#include "orgs/orgs.h"
#include "security/crypto.h"
#include "security/ids.h"
#include "security/payload_codec.h"

namespace fw::orgs::testing {

class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(security::InitCrypto());
    std::string why;
    tdb_ = db::testing::TestDatabase::Make(GetParam(), &why);
    if (!tdb_) GTEST_SKIP() << why;
    db_ = &tdb_->db();
  }

  // True when SetUp did not finish (skipped or failed); derived SetUps return early then.
  bool NotReady() const { return IsSkipped() || HasFatalFailure() || db_ == nullptr; }

  // A COUNT(*) (or any single integer) query, for checking stored rows.
  long long QueryInt(const std::string& sql) {
    auto r = db_->Read<long long>([&](soci::session& s) -> Result<long long> {
      long long n = 0;
      s << sql, soci::into(n);
      return n;
    });
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(-1);
  }

  // Runs one statement in a write transaction.
  void Exec(const std::string& sql) {
    auto r = db_->Write<bool>([&](soci::session& s) -> Result<bool> {
      s << sql;
      return true;
    });
    ASSERT_TRUE(r) << r.error().message;
  }

  // Declared before everything that borrows the database, so it is destroyed last.
  std::unique_ptr<db::testing::TestDatabase> tdb_;
  db::Database* db_ = nullptr;  // owned by tdb_
  FakeClock clock_;
  security::IdCodec ids_{"fachwerk-test-id-key"};
  security::PlainCodec codec_;
  tenancy::Tenancy tenancy_{codec_};
};

// Whether `r` failed with `code`, naming `field` in its first detail and with `reason` (each
// checked only when given).
template <typename R>
::testing::AssertionResult IsError(const R& r, ErrorCode code, std::string_view field = {},
                                   std::string_view reason = {}) {
  if (r) return ::testing::AssertionFailure() << "succeeded, expected " << ErrorCodeName(code);
  const Error& e = r.error();
  if (e.code != code) {
    return ::testing::AssertionFailure() << "code " << ErrorCodeName(e.code) << ", expected "
                                         << ErrorCodeName(code) << ": " << e.message;
  }
  if (!field.empty() && (e.details.empty() || e.details.front().field != field)) {
    return ::testing::AssertionFailure()
           << "expected field " << field << ", got "
           << (e.details.empty() ? std::string("no details") : e.details.front().field);
  }
  if (!reason.empty() && e.reason != reason) {
    return ::testing::AssertionFailure() << "reason " << e.reason << ", expected " << reason;
  }
  return ::testing::AssertionSuccess();
}

inline constexpr char kPassword[] = "correct horse battery";

// A Mailer that keeps what it is given in `sent` (owned by the test), or fails when `fail`.
class RecordingMailer final : public Mailer {
 public:
  explicit RecordingMailer(std::vector<MailMessage>& sent, const bool& fail)
      : sent_(sent), fail_(fail) {}
  Status Send(const MailMessage& message) override {
    if (fail_) return Fail(ErrorCode::kUnavailable, "the test mailer fails");
    sent_.push_back(message);
    return {};
  }

 private:
  std::vector<MailMessage>& sent_;
  const bool& fail_;
};

// The invitation secret ("fwi_...") in a message's body, or "".
inline std::string SecretIn(const MailMessage& m) {
  auto at = m.body.find(kInvitationPrefix);
  if (at == std::string::npos) return "";
  auto end = m.body.find_first_of(" \n\"", at);
  return m.body.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// DatabaseTest with an OrgService and AuthService (fast hashing, one-hour sessions) and
// helpers that seed labs and users.
class ServicesTest : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (NotReady()) return;
    orgs_ = std::make_unique<OrgService>(*db_, clock_, ids_, tenancy_, options_);
    orgs_->SetMailer(std::make_unique<RecordingMailer>(mail_, mail_fails_));
    auth_ = std::make_unique<AuthService>(*db_, clock_, options_, orgs_->hash_gate());
  }

  Lab MakeLab(const std::string& slug) {
    auto lab = orgs_->CreateLab("Lab " + slug, slug);
    EXPECT_TRUE(lab) << lab.error().message;
    return lab.value_or(Lab{});
  }

  User MakeUser(const std::string& email, Role role, std::int64_t org_id = 0) {
    auto u = orgs_->CreateUser({email, "User " + email, kPassword, role, org_id});
    EXPECT_TRUE(u) << u.error().message;
    return u.value_or(User{});
  }

  std::string Login(const std::string& email, const std::string& password = kPassword) {
    auto s = auth_->Login(email, password);
    EXPECT_TRUE(s) << s.error().message;
    return s ? s->token : std::string();
  }

  static Caller CallerOf(const User& u) {
    Caller c;
    c.user_id = u.id;
    c.role = u.role;
    c.org_id = u.org_id;
    return c;
  }

  static OrgOptions TestOptions() {
    OrgOptions o;
    o.session_ttl_seconds = 3600;
    o.fast_password_hashing = true;
    return o;
  }

  OrgOptions options_ = TestOptions();
  std::vector<MailMessage> mail_;  // what the services sent, oldest first
  bool mail_fails_ = false;        // makes the mailer fail
  std::unique_ptr<OrgService> orgs_;
  std::unique_ptr<AuthService> auth_;
};

inline std::string BackendName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace fw::orgs::testing

#define FW_INSTANTIATE_BACKENDS(suite)                                                 \
  INSTANTIATE_TEST_SUITE_P(Backends, suite, ::testing::Values("sqlite", "postgresql"), \
                           ::fw::orgs::testing::BackendName)
