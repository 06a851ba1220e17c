#pragma once
// Credentials: an expert's degrees, licences, certifications and employment, each with at
// most one evidence file (EvidenceStore) and optional public identifiers, and the operator's
// decision on it. A credential's life:
//
//   draft (no evidence) --evidence--> pending --verify--> verified
//                                           \--reject---> rejected (with a reason)
//   draft, pending --withdraw--> withdrawn (the file deleted)
//
// A draft, pending or verified credential whose expires_at has passed reads as `expired`
// everywhere (Credential::StatusAt) and cannot be verified. Evidence is served only to the
// expert who owns it and to operators; anyone else is told it does not exist. Labs see only
// summaries of verified, unexpired credentials (CredentialSummaries).

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/caller.h"
#include "base/clock.h"
#include "base/error.h"
#include "db/database.h"
#include "experts/evidence.h"
#include "experts/experts.h"
#include "projects/expert_requirements.h"

namespace fw::experts {

using projects::IsCredentialKind;
// Whether `kind` names an identifier kind: "orcid", "licence_number", "other".
bool IsIdentifierKind(std::string_view kind);

// Whether `id` is an ORCID iD: 16 characters in groups of four ("0000-0002-1825-0097"), the
// last one the ISO 7064 MOD 11-2 check character of the 15 digits before it (0-9 or X).
bool IsValidOrcid(std::string_view id);

// Checks an identifier of `kind` and returns it in canonical form (ORCID: upper-case X, an
// "https://orcid.org/" prefix removed; a licence number: trimmed, 1..64 letters, digits,
// spaces and - . /, with a digit; other: trimmed, 1..200 printable characters).
// Errors: kInvalidArgument naming "identifier" (code "invalid" or "checksum").
[[nodiscard]] Result<std::string> CanonicalIdentifier(std::string_view kind, std::string_view id);

struct EvidenceInfo {
  std::string name;  // a safe file name shown to people ("diploma.pdf")
  EvidenceType type = EvidenceType::kPdf;
  std::int64_t bytes = 0;
  std::string sha256;
};

struct Credential {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string kind;
  std::string title;
  std::string issuer;
  std::optional<std::string> domain;
  std::optional<int> level;
  std::optional<std::string> identifier_kind;
  std::optional<std::string> identifier;
  std::optional<UnixSeconds> issued_at;
  std::optional<UnixSeconds> expires_at;
  std::string status;                    // as stored: draft, pending, verified, rejected, withdrawn
  std::optional<EvidenceInfo> evidence;  // none in a draft or once withdrawn
  std::optional<UnixSeconds> submitted_at;
  std::int64_t decided_by = 0;  // 0: undecided
  std::string decided_by_name;
  std::optional<UnixSeconds> decided_at;
  std::string decision_reason;
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;

  // The status as everyone reads it at `now`: `expired` for a draft, pending or verified
  // credential whose expires_at is at or before `now`, else the stored one.
  std::string StatusAt(UnixSeconds now) const;
};

struct NewCredential {
  std::string kind;
  std::string title;
  std::string issuer;
  std::optional<std::string> domain;
  std::optional<int> level;
  std::optional<std::string> identifier_kind;
  std::optional<std::string> identifier;
  std::optional<UnixSeconds> issued_at;
  std::optional<UnixSeconds> expires_at;
};

// A pending credential in the operator's queue, with who it belongs to.
struct QueuedCredential {
  Credential credential;
  std::string expert_name;
  std::string expert_email;
};

// What an operator grants on a verified credential's grounds.
struct GrantRequest {
  std::string domain;
  int level = 0;
  bool reviewer = false;
};

struct Verification {
  // Overrides the credential's expires_at (when the evidence shows another date).
  std::optional<UnixSeconds> expires_at;
  std::optional<GrantRequest> grant;
};

struct Verified {
  Credential credential;
  std::optional<Qualification> qualification;  // when a grant was asked for
};

// What a lab may know of an expert's credentials: its kind, domain and level, verified and
// unexpired — never the title, issuer, identifiers or evidence.
struct CredentialSummary {
  std::string kind;
  std::optional<std::string> domain;
  std::optional<int> level;
  bool verified = true;
  // "verified PhD, physics", "verified licence, law", "verified certification".
  std::string Text() const;
  friend bool operator==(const CredentialSummary&, const CredentialSummary&) = default;
};

// The summaries of the verified, unexpired credentials of each expert in `expert_ids` (an
// expert without any is absent), ordered by kind, domain and level, read with `s` (the
// caller's transaction; the workforce view reads it with its own statements).
std::map<std::int64_t, std::vector<CredentialSummary>> CredentialSummaries(
    soci::session& s, const std::vector<std::int64_t>& expert_ids, UnixSeconds now);

// An evidence file opened for serving.
struct EvidenceFile {
  std::shared_ptr<std::FILE> file;
  EvidenceInfo info;
};

struct CredentialOptions {
  std::string evidence_dir;                      // <data>/evidence
  std::int64_t max_evidence_bytes = 10LL << 20;  // Config::max_evidence_bytes
};

// Thread safety: any thread; each call is one or two short transactions; files are written
// before and deleted after the transaction that names them, so no row ever names a missing
// file (a crash may leave an unnamed file, which Sweep deletes). Ownership: borrows the
// database, clock and ExpertService, which must outlive it.
class CredentialService {
 public:
  CredentialService(db::Database& db, const Clock& clock, ExpertService& experts,
                    CredentialOptions options);

  // Adds a draft credential to the caller's. Errors: kInvalidArgument naming "kind", "title"
  // (blank or over 300 bytes), "issuer" (over 300 bytes), "domain" (code "unknown"), "level"
  // (outside 1..5; or given without a domain: code "requires_domain"), "identifier_kind",
  // "identifier" (format; ORCID checksum; code "required" with a kind), "expires_at"
  // (code "in_past"; "before_issued"); kPermissionDenied (not an expert). A retry adds
  // another.
  [[nodiscard]] Result<Credential> Create(const Caller& caller, const NewCredential& c);

  // The caller's credentials, newest first. Errors: only database failures.
  [[nodiscard]] Result<std::vector<Credential>> List(const Caller& caller);
  // Any expert's credentials, newest first (operators). Errors: only database failures.
  [[nodiscard]] Result<std::vector<Credential>> ListOf(std::int64_t user_id);

  // One credential, for its owner or an operator. Errors: kNotFound (no such credential, or
  // someone else's).
  [[nodiscard]] Result<Credential> Get(const Caller& caller, std::int64_t id);

  // Stores the evidence of the caller's draft credential from `read` (the declared
  // `content_type` must name a PDF, PNG, JPEG or WebP and agree with the content), keeping
  // `file_name` made safe (SafeFileName), and makes it pending.
  // Errors: kNotFound (no such credential of the caller); kConflict reason "evidence_exists"
  // (it has its file: withdraw it and add another); kInvalidArgument reason
  // "unsupported_media_type" (detail "content_type"), "evidence_too_large", "evidence_empty";
  // kUnprocessable reason "evidence_type" or "evidence_type_mismatch"; kUnavailable (disk).
  // Nothing is kept on any error. A retry after success is kConflict "evidence_exists".
  [[nodiscard]] Result<Credential> AttachEvidence(const Caller& caller, std::int64_t id,
                                                  std::string_view content_type,
                                                  std::string_view file_name, const ReadFn& read);

  // Withdraws the caller's draft or pending credential and deletes its file. Errors:
  // kNotFound; kConflict reason "not_withdrawable" (decided or withdrawn already).
  [[nodiscard]] Result<Credential> Withdraw(const Caller& caller, std::int64_t id);

  // The evidence of a credential, for its owner or an operator. Errors: kNotFound (no such
  // credential, someone else's — a lab's request included —, or one without a file).
  [[nodiscard]] Result<EvidenceFile> OpenEvidence(const Caller& caller, std::int64_t id);

  // Pending credentials, oldest submission first, with their experts. Errors: database
  // failures only.
  [[nodiscard]] Result<std::vector<QueuedCredential>> Queue();

  // Verifies a pending credential (an operator's decision, recorded with who and when) and,
  // when asked, grants a qualification on its grounds in the same transaction.
  // Errors: kNotFound; kConflict reason "not_pending" or "credential_expired";
  // kInvalidArgument naming "expires_at" (in the past), "grant.domain", "grant.level" (as
  // ExpertService::GrantQualification); the qualification listener's errors. Nothing changes
  // on any error. A retry after success is kConflict "not_pending".
  [[nodiscard]] Result<Verified> Verify(const Caller& op, std::int64_t id, const Verification& v);

  // Rejects a pending credential with a reason shown to the expert. Errors: kNotFound;
  // kInvalidArgument naming "reason" (blank or over 2000 bytes); kConflict reason
  // "not_pending". A retry after success is kConflict "not_pending".
  [[nodiscard]] Result<Credential> Reject(const Caller& op, std::int64_t id,
                                          std::string_view reason);

  // Deletes files in the evidence directory no credential names (see EvidenceStore::Sweep).
  // Returns how many. Errors: only database failures.
  [[nodiscard]] Result<int> SweepEvidence(std::int64_t min_age_seconds = 3600);

  const EvidenceStore& store() const { return store_; }

 private:
  db::Database& db_;
  const Clock& clock_;
  ExpertService& experts_;
  EvidenceStore store_;
};

// A file name safe to show and to put in a Content-Disposition header: the last path part
// of `name`, with every byte outside [A-Za-z0-9._-] replaced by "_", no leading dots, at most
// 100 bytes, ending in the type's extension; "evidence.<ext>" when nothing is left.
std::string SafeFileName(std::string_view name, EvidenceType type);

}  // namespace fw::experts
