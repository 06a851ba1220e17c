// Credentials: identifiers, the life of a credential, its evidence file and who may read it,
// vetting with a grant in the same transaction, expiry, and what labs may see; on SQLite and
// PostgreSQL.

#include "experts/credentials.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "experts/evidence_samples.h"
#include "orgs/testing.h"

namespace fw::experts {
namespace {

namespace fs = std::filesystem;
using orgs::testing::IsError;
using testing::samples::Pdf;
using testing::samples::Png;

TEST(Orcid, AcceptsValidIdsWithTheirCheckCharacter) {
  EXPECT_TRUE(IsValidOrcid("0000-0002-1825-0097"));
  EXPECT_TRUE(IsValidOrcid("0000-0001-5109-3700"));
  EXPECT_TRUE(IsValidOrcid("0000-0002-1694-233X"));
}

TEST(Orcid, RefusesWrongCheckCharactersAndShapes) {
  for (const char* bad : {"0000-0002-1825-0098", "0000-0002-1694-2330", "0000-0002-1694-233x",
                          "0000000218250097", "0000-0002-1825-009", "0000-0002-1825-00971",
                          "000A-0002-1825-0097", "0000_0002_1825_0097", ""}) {
    EXPECT_FALSE(IsValidOrcid(bad)) << bad;
  }
}

TEST(CanonicalIdentifier, NormalisesAndChecksEachKind) {
  EXPECT_EQ(CanonicalIdentifier("orcid", " https://orcid.org/0000-0002-1694-233x ").value(),
            "0000-0002-1694-233X");
  auto checksum = CanonicalIdentifier("orcid", "0000-0002-1825-0098");
  ASSERT_TRUE(IsError(checksum, ErrorCode::kInvalidArgument, "identifier"));
  EXPECT_EQ(checksum.error().details[0].code, "checksum");
  EXPECT_EQ(CanonicalIdentifier("orcid", "1234").error().details[0].code, "invalid");
  EXPECT_EQ(CanonicalIdentifier("licence_number", " CPA-12345/NY ").value(), "CPA-12345/NY");
  EXPECT_FALSE(CanonicalIdentifier("licence_number", "no digits"));
  EXPECT_FALSE(CanonicalIdentifier("licence_number", "12<script>"));
  EXPECT_FALSE(CanonicalIdentifier("licence_number", std::string(65, '1')));
  EXPECT_EQ(CanonicalIdentifier("other", "Bar no. 42").value(), "Bar no. 42");
  EXPECT_FALSE(CanonicalIdentifier("other", "tab\there"));
  EXPECT_FALSE(CanonicalIdentifier("other", "  "));
}

TEST(SafeFileName, KeepsAHarmlessNameWithTheContentsExtension) {
  EXPECT_EQ(SafeFileName("diploma.pdf", EvidenceType::kPdf), "diploma.pdf");
  EXPECT_EQ(SafeFileName("C:\\scans\\my diploma.PDF", EvidenceType::kPdf), "my_diploma.pdf");
  EXPECT_EQ(SafeFileName("../../etc/passwd", EvidenceType::kPng), "passwd.png");
  EXPECT_EQ(SafeFileName("a\"; filename=evil.html", EvidenceType::kPdf), "a___filename_evil.pdf");
  EXPECT_EQ(SafeFileName("page.html", EvidenceType::kJpeg), "page.jpg");
  EXPECT_EQ(SafeFileName("", EvidenceType::kWebp), "evidence.webp");
  EXPECT_EQ(SafeFileName("...", EvidenceType::kPdf), "evidence.pdf");
  EXPECT_EQ(SafeFileName("ü.pdf", EvidenceType::kPdf), "evidence.pdf");
  EXPECT_LE(SafeFileName(std::string(500, 'a'), EvidenceType::kWebp).size(), 100u);
}

TEST(CredentialSummary, ReadsLikeWhatALabMaySee) {
  EXPECT_EQ((CredentialSummary{"degree", "physics", 4, true}.Text()), "verified PhD, physics");
  EXPECT_EQ((CredentialSummary{"licence", "law", std::nullopt, true}.Text()),
            "verified licence, law");
  EXPECT_EQ((CredentialSummary{"certification", std::nullopt, std::nullopt, true}.Text()),
            "verified certification");
}

class CredentialTest : public orgs::testing::ServicesTest {
 protected:
  void SetUp() override {
    ServicesTest::SetUp();
    if (NotReady()) return;
    dir_ = tdb_->dir().empty() ? fs::temp_directory_path() /
                                     ("fw_cred_" + std::to_string(::getpid()) + "_" +
                                      ::testing::UnitTest::GetInstance()
                                          ->current_test_info()
                                          ->name())
                               : tdb_->dir() / "evidence";
    fs::remove_all(dir_);
    experts_ = std::make_unique<ExpertService>(*db_, clock_, ids_);
    CredentialOptions o;
    o.evidence_dir = dir_.string();
    o.max_evidence_bytes = 256 * 1024;
    creds_ = std::make_unique<CredentialService>(*db_, clock_, *experts_, o);
    lab_ = MakeLab("acme");
    op_ = MakeUser("op@x.org", Role::kOperator);
    member_ = MakeUser("member@x.org", Role::kLabMember, lab_.id);
    owner_ = MakeUser("owner@x.org", Role::kLabOwner, lab_.id);
    expert_ = MakeUser("expert@x.org", Role::kExpert);
    other_ = MakeUser("other@x.org", Role::kExpert);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  static ReadFn From(std::string bytes) {
    auto data = std::make_shared<std::string>(std::move(bytes));
    auto at = std::make_shared<std::size_t>(0);
    return [data, at](char* buf, std::size_t n) -> Result<std::size_t> {
      std::size_t take = std::min(n, data->size() - *at);
      std::memcpy(buf, data->data() + *at, take);
      *at += take;
      return take;
    };
  }

  static NewCredential Degree() {
    NewCredential c;
    c.kind = "degree";
    c.title = "PhD in Physics";
    c.issuer = "ETH Zurich";
    c.domain = "physics";
    c.level = 4;
    c.identifier_kind = "orcid";
    c.identifier = "0000-0002-1825-0097";
    c.issued_at = 1'500'000'000;
    return c;
  }

  Credential Draft(const orgs::User& who, NewCredential c = Degree()) {
    auto r = creds_->Create(CallerOf(who), c);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(Credential{});
  }

  Credential Pending(const orgs::User& who, NewCredential c = Degree()) {
    Credential d = Draft(who, std::move(c));
    auto r = creds_->AttachEvidence(CallerOf(who), d.id, "application/pdf", "diploma.pdf",
                                    From(Pdf()));
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(Credential{});
  }

  int Files() const {
    int n = 0;
    std::error_code ec;
    for (auto it = fs::directory_iterator(dir_, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      ++n;
    }
    return n;
  }

  fs::path dir_;
  std::unique_ptr<ExpertService> experts_;
  std::unique_ptr<CredentialService> creds_;
  orgs::Lab lab_;
  orgs::User op_, member_, owner_, expert_, other_;
};

TEST_P(CredentialTest, ANewCredentialIsADraftWithCanonicalFields) {
  NewCredential c = Degree();
  c.identifier = "https://orcid.org/0000-0002-1825-0097";
  Credential d = Draft(expert_, c);
  EXPECT_EQ(d.status, "draft");
  EXPECT_EQ(d.StatusAt(clock_.Now()), "draft");
  EXPECT_EQ(d.identifier, "0000-0002-1825-0097");
  EXPECT_EQ(d.user_id, expert_.id);
  EXPECT_FALSE(d.evidence);
  auto list = creds_->List(CallerOf(expert_)).value();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].title, "PhD in Physics");
  EXPECT_TRUE(creds_->List(CallerOf(other_)).value().empty());
}

TEST_P(CredentialTest, CreateNamesEachFieldAtFault) {
  struct Case {
    std::function<void(NewCredential&)> change;
    std::string field;
    std::string code;
  };
  std::vector<Case> cases = {
      {[](NewCredential& c) { c.kind = "diploma"; }, "kind", "invalid"},
      {[](NewCredential& c) { c.title = " "; }, "title", "required"},
      {[](NewCredential& c) { c.issuer = std::string(301, 'x'); }, "issuer", "too_long"},
      {[](NewCredential& c) { c.level = 6; }, "level", "out_of_range"},
      {[](NewCredential& c) { c.domain.reset(); }, "level", "requires_domain"},
      {[](NewCredential& c) { c.identifier_kind = "isbn"; }, "identifier_kind", "invalid"},
      {[](NewCredential& c) { c.identifier.reset(); }, "identifier", "required"},
      {[](NewCredential& c) { c.identifier = "0000-0002-1825-0098"; }, "identifier", "checksum"},
      {[this](NewCredential& c) { c.expires_at = clock_.Now(); }, "expires_at", "in_past"},
      {[](NewCredential& c) { c.expires_at = 1'400'000'000 + 2'000'000'000LL; c.issued_at = c.expires_at; },
       "expires_at", "before_issued"},
      {[](NewCredential& c) { c.domain = "astrology"; }, "domain", "unknown"},
  };
  for (const Case& k : cases) {
    NewCredential c = Degree();
    k.change(c);
    auto r = creds_->Create(CallerOf(expert_), c);
    ASSERT_TRUE(IsError(r, ErrorCode::kInvalidArgument, k.field)) << k.field;
    EXPECT_EQ(r.error().details.front().code, k.code) << k.field;
  }
  EXPECT_TRUE(IsError(creds_->Create(CallerOf(member_), Degree()), ErrorCode::kPermissionDenied));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM credentials"), 0);
}

TEST_P(CredentialTest, EvidenceMakesItPendingWithSizeAndHash) {
  Credential p = Pending(expert_);
  EXPECT_EQ(p.status, "pending");
  ASSERT_TRUE(p.evidence);
  EXPECT_EQ(p.evidence->name, "diploma.pdf");
  EXPECT_EQ(p.evidence->type, EvidenceType::kPdf);
  EXPECT_EQ(p.evidence->bytes, static_cast<std::int64_t>(Pdf().size()));
  EXPECT_EQ(p.evidence->sha256.size(), 64u);
  EXPECT_EQ(p.submitted_at, clock_.Now());
  EXPECT_EQ(Files(), 1);
  // One file per credential.
  auto again = creds_->AttachEvidence(CallerOf(expert_), p.id, "application/pdf", "x.pdf",
                                      From(Pdf()));
  EXPECT_TRUE(IsError(again, ErrorCode::kConflict, "", "evidence_exists"));
  EXPECT_EQ(Files(), 1);
}

TEST_P(CredentialTest, RefusedUploadsLeaveNoFileAndNoChange) {
  Credential d = Draft(expert_);
  auto caller = CallerOf(expert_);
  EXPECT_TRUE(IsError(creds_->AttachEvidence(caller, d.id, "image/png", "a.png", From(Pdf())),
                      ErrorCode::kUnprocessable, "content_type", "evidence_type_mismatch"));
  EXPECT_TRUE(IsError(creds_->AttachEvidence(caller, d.id, "text/html", "a.html", From(Pdf())),
                      ErrorCode::kInvalidArgument, "content_type", "unsupported_media_type"));
  EXPECT_TRUE(IsError(creds_->AttachEvidence(caller, d.id, "application/pdf", "a.pdf",
                                             From("<html>not a pdf</html>")),
                      ErrorCode::kUnprocessable, "body", "evidence_type"));
  EXPECT_TRUE(IsError(creds_->AttachEvidence(caller, d.id, "application/pdf", "a.pdf",
                                             From(Pdf(256 * 1024 + 1))),
                      ErrorCode::kInvalidArgument, "body", "evidence_too_large"));
  EXPECT_TRUE(IsError(creds_->AttachEvidence(CallerOf(other_), d.id, "application/pdf", "a.pdf",
                                             From(Pdf())),
                      ErrorCode::kNotFound));
  EXPECT_EQ(Files(), 0);
  EXPECT_EQ(creds_->Get(caller, d.id).value().status, "draft");
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM credentials WHERE evidence_file IS NOT NULL"), 0);
}

TEST_P(CredentialTest, EvidenceIsServedToItsOwnerAndOperatorsOnly) {
  Credential p = Pending(expert_);
  for (const orgs::User& who : {expert_, op_}) {
    auto ev = creds_->OpenEvidence(CallerOf(who), p.id);
    ASSERT_TRUE(ev) << who.email << ": " << ev.error().message;
    EXPECT_EQ(ev->info.type, EvidenceType::kPdf);
    std::string back(8, '\0');
    back.resize(std::fread(back.data(), 1, back.size(), ev->file.get()));
    EXPECT_EQ(back, "%PDF-1.4");
  }
  for (const orgs::User& who : {member_, owner_, other_}) {
    EXPECT_TRUE(IsError(creds_->OpenEvidence(CallerOf(who), p.id), ErrorCode::kNotFound))
        << who.email;
    EXPECT_TRUE(IsError(creds_->Get(CallerOf(who), p.id), ErrorCode::kNotFound)) << who.email;
  }
  Credential d = Draft(expert_);
  EXPECT_TRUE(IsError(creds_->OpenEvidence(CallerOf(expert_), d.id), ErrorCode::kNotFound));
}

TEST_P(CredentialTest, WithdrawingDeletesTheFile) {
  Credential p = Pending(expert_);
  auto w = creds_->Withdraw(CallerOf(expert_), p.id);
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(w->status, "withdrawn");
  EXPECT_FALSE(w->evidence);
  EXPECT_EQ(Files(), 0);
  EXPECT_TRUE(IsError(creds_->OpenEvidence(CallerOf(op_), p.id), ErrorCode::kNotFound));
  EXPECT_TRUE(IsError(creds_->Withdraw(CallerOf(expert_), p.id), ErrorCode::kConflict, "",
                      "not_withdrawable"));
  Credential other = Pending(other_);
  EXPECT_TRUE(IsError(creds_->Withdraw(CallerOf(expert_), other.id), ErrorCode::kNotFound));
  EXPECT_TRUE(creds_->Queue().value().size() == 1);
}

TEST_P(CredentialTest, TheQueueListsPendingCredentialsOldestFirstWithTheirExperts) {
  Draft(expert_);  // a draft is not in the queue
  Credential first = Pending(other_);
  clock_.Advance(60);
  Credential second = Pending(expert_);
  auto q = creds_->Queue().value();
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].credential.id, first.id);
  EXPECT_EQ(q[0].expert_email, "other@x.org");
  EXPECT_EQ(q[0].expert_name, other_.name);
  EXPECT_EQ(q[1].credential.id, second.id);
}

TEST_P(CredentialTest, VerifyingGrantsAQualificationOnTheCredentialsGrounds) {
  Credential p = Pending(expert_);
  clock_.Advance(100);
  Verification v;
  v.expires_at = clock_.Now() + 365 * 24 * 3600;
  v.grant = GrantRequest{"physics", 4, false};
  auto done = creds_->Verify(CallerOf(op_), p.id, v);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->credential.status, "verified");
  EXPECT_EQ(done->credential.decided_by, op_.id);
  EXPECT_EQ(done->credential.decided_by_name, op_.name);
  EXPECT_EQ(done->credential.decided_at, clock_.Now());
  EXPECT_EQ(done->credential.expires_at, v.expires_at);
  ASSERT_TRUE(done->qualification);
  auto quals = experts_->Qualifications(expert_.id).value();
  ASSERT_EQ(quals.size(), 1u);
  EXPECT_EQ(quals[0].domain, "physics");
  EXPECT_EQ(quals[0].level, 4);
  EXPECT_EQ(quals[0].grounds.kind, "credential");
  EXPECT_EQ(quals[0].grounds.id, p.id);
  EXPECT_EQ(quals[0].grounds.granted_by, op_.id);
  EXPECT_EQ(quals[0].grounds.expires_at, v.expires_at);
  EXPECT_TRUE(creds_->Queue().value().empty());
  EXPECT_TRUE(IsError(creds_->Verify(CallerOf(op_), p.id, {}), ErrorCode::kConflict, "",
                      "not_pending"));
  EXPECT_TRUE(IsError(creds_->Reject(CallerOf(op_), p.id, "late"), ErrorCode::kConflict, "",
                      "not_pending"));
  EXPECT_TRUE(IsError(creds_->Withdraw(CallerOf(expert_), p.id), ErrorCode::kConflict));
}

TEST_P(CredentialTest, AFailedGrantLeavesTheCredentialPending) {
  Credential p = Pending(expert_);
  Verification v;
  v.grant = GrantRequest{"astrology", 4, false};
  EXPECT_TRUE(IsError(creds_->Verify(CallerOf(op_), p.id, v), ErrorCode::kInvalidArgument,
                      "grant.domain"));
  v.grant = GrantRequest{"physics", 9, false};
  EXPECT_TRUE(IsError(creds_->Verify(CallerOf(op_), p.id, v), ErrorCode::kInvalidArgument,
                      "grant.level"));
  EXPECT_EQ(creds_->Get(CallerOf(op_), p.id).value().status, "pending");
  EXPECT_TRUE(experts_->Qualifications(expert_.id).value().empty());
}

TEST_P(CredentialTest, RejectingNeedsAReasonThatTheExpertReads) {
  Credential p = Pending(expert_);
  EXPECT_TRUE(IsError(creds_->Reject(CallerOf(op_), p.id, "  "), ErrorCode::kInvalidArgument,
                      "reason"));
  EXPECT_TRUE(IsError(creds_->Reject(CallerOf(op_), p.id, std::string(2001, 'x')),
                      ErrorCode::kInvalidArgument, "reason"));
  auto r = creds_->Reject(CallerOf(op_), p.id, "The scan is unreadable.");
  ASSERT_TRUE(r) << r.error().message;
  Credential seen = creds_->Get(CallerOf(expert_), p.id).value();
  EXPECT_EQ(seen.status, "rejected");
  EXPECT_EQ(seen.decision_reason, "The scan is unreadable.");
  EXPECT_EQ(seen.decided_by, op_.id);
  EXPECT_EQ(seen.decided_at, clock_.Now());
  EXPECT_TRUE(IsError(creds_->Verify(CallerOf(op_), p.id, {}), ErrorCode::kConflict));
  EXPECT_TRUE(IsError(creds_->Reject(CallerOf(op_), 999999, "x"), ErrorCode::kNotFound));
}

TEST_P(CredentialTest, ACredentialPastItsExpiryReadsExpiredEverywhere) {
  NewCredential c = Degree();
  c.kind = "licence";
  c.expires_at = clock_.Now() + 1000;
  Credential p = Pending(expert_, c);
  ASSERT_TRUE(creds_->Verify(CallerOf(op_), p.id, {}));
  auto summaries = [&] {
    return db_->Read<std::map<std::int64_t, std::vector<CredentialSummary>>>(
        [&](soci::session& s) -> Result<std::map<std::int64_t, std::vector<CredentialSummary>>> {
          return CredentialSummaries(s, {expert_.id, other_.id}, clock_.Now());
        });
  };
  EXPECT_EQ(summaries().value().at(expert_.id).size(), 1u);
  clock_.Advance(1000);
  Credential seen = creds_->Get(CallerOf(expert_), p.id).value();
  EXPECT_EQ(seen.status, "verified");
  EXPECT_EQ(seen.StatusAt(clock_.Now()), "expired");
  EXPECT_TRUE(summaries().value().empty());
}

TEST_P(CredentialTest, AnExpiredPendingCredentialCannotBeVerified) {
  NewCredential c = Degree();
  c.expires_at = clock_.Now() + 10;
  Credential p = Pending(expert_, c);
  clock_.Advance(10);
  EXPECT_EQ(creds_->Queue().value().at(0).credential.StatusAt(clock_.Now()), "expired");
  EXPECT_TRUE(IsError(creds_->Verify(CallerOf(op_), p.id, {}), ErrorCode::kConflict, "",
                      "credential_expired"));
  Verification later;
  later.expires_at = clock_.Now() + 100;
  EXPECT_TRUE(creds_->Verify(CallerOf(op_), p.id, later));  // the evidence shows a later date
  Verification past;
  past.expires_at = clock_.Now() - 1;
  EXPECT_TRUE(IsError(creds_->Verify(CallerOf(op_), p.id, past), ErrorCode::kInvalidArgument,
                      "expires_at"));
}

TEST_P(CredentialTest, LabsSeeOnlySummariesOfVerifiedUnexpiredCredentials) {
  Credential verified = Pending(expert_);
  ASSERT_TRUE(creds_->Verify(CallerOf(op_), verified.id, {}));
  Pending(expert_);  // pending: not shown
  NewCredential cert;
  cert.kind = "certification";
  cert.title = "CFA";
  Credential rejected = Pending(other_, cert);
  ASSERT_TRUE(creds_->Reject(CallerOf(op_), rejected.id, "not legible"));
  auto got = db_->Read<std::map<std::int64_t, std::vector<CredentialSummary>>>(
      [&](soci::session& s) -> Result<std::map<std::int64_t, std::vector<CredentialSummary>>> {
        return CredentialSummaries(s, {expert_.id, other_.id, 424242}, clock_.Now());
      });
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->size(), 1u);
  ASSERT_EQ(got->at(expert_.id).size(), 1u);
  const CredentialSummary& s = got->at(expert_.id)[0];
  EXPECT_EQ(s, (CredentialSummary{"degree", "physics", 4, true}));
  EXPECT_EQ(s.Text(), "verified PhD, physics");
}

TEST_P(CredentialTest, TheSweepKeepsNamedFilesAndDeletesUnnamedOnes) {
  Credential p = Pending(expert_);
  std::ofstream(dir_ / "0123456789abcdef0123456789abcdef.pdf") << "orphan";
  EXPECT_EQ(creds_->SweepEvidence(0).value(), 1);
  EXPECT_TRUE(creds_->OpenEvidence(CallerOf(expert_), p.id));
  EXPECT_EQ(Files(), 1);
}

FW_INSTANTIATE_BACKENDS(CredentialTest);

}  // namespace
}  // namespace fw::experts
