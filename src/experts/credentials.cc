#include "experts/credentials.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

#include "db/query.h"
#include "experts/domains.h"

namespace fw::experts {

namespace {

constexpr std::size_t kMaxTitleBytes = 300;
constexpr std::size_t kMaxReasonBytes = 2000;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

FieldError Field(std::string field, std::string code, std::string message) {
  return {std::move(field), std::move(code), std::move(message)};
}

Error IdentifierError(std::string code, std::string message) {
  return Error(ErrorCode::kInvalidArgument, "identifier: " + message,
               {{"identifier", std::move(code), message}});
}

// The columns of a credentials row, with the decider's name, in FW_CREDENTIAL_SELECT's order.
#define FW_CREDENTIAL_SELECT                                                                  \
  "SELECT c.id, c.user_id, c.kind, c.title, c.issuer, c.domain, c.level, c.identifier_kind, " \
  "c.identifier, c.issued_at, c.expires_at, c.status, c.evidence_file, c.evidence_name, "     \
  "c.evidence_type, c.evidence_bytes, c.evidence_sha256, c.submitted_at, c.decided_by, "      \
  "d.name, c.decided_at, c.decision_reason, c.created_at, c.updated_at FROM credentials c "   \
  "LEFT JOIN users d ON d.id = c.decided_by "

struct Row {
  Credential c;
  std::optional<std::string> file;  // the evidence file's name in the store
};

std::vector<Row> ReadRows(db::Query q) {
  Row r;
  std::optional<std::string> domain, ikind, ident, file, ename, etype, esha, dname;
  std::optional<int> level;
  std::optional<long long> issued, expires, ebytes, submitted, decided_by, decided_at;
  std::vector<Row> out;
  q.Each(
      [&] {
        Credential& c = r.c;
        c.domain = domain;
        c.level = level;
        c.identifier_kind = ikind;
        c.identifier = ident;
        c.issued_at = issued;
        c.expires_at = expires;
        c.evidence.reset();
        auto type = etype ? ParseEvidenceMediaType(*etype) : std::nullopt;
        if (file && type) {
          c.evidence =
              EvidenceInfo{ename.value_or(""), *type, ebytes.value_or(0), esha.value_or("")};
        }
        c.submitted_at = submitted;
        c.decided_by = decided_by.value_or(0);
        c.decided_by_name = dname.value_or("");
        c.decided_at = decided_at;
        r.file = file;
        out.push_back(r);
        return true;
      },
      r.c.id, r.c.user_id, r.c.kind, r.c.title, r.c.issuer, domain, level, ikind, ident, issued,
      expires, r.c.status, file, ename, etype, ebytes, esha, submitted, decided_by, dname,
      decided_at, r.c.decision_reason, r.c.created_at, r.c.updated_at);
  return out;
}

std::optional<Row> RowById(soci::session& s, long long id) {
  auto rows = ReadRows(db::Query(s, FW_CREDENTIAL_SELECT "WHERE c.id = :id").Bind(id));
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

Error NoSuchCredential() { return Error(ErrorCode::kNotFound, "no such credential"); }

// The row when `caller` may see it: its owner, or an operator.
Result<Row> VisibleRow(soci::session& s, const Caller& caller, long long id) {
  auto row = RowById(s, id);
  if (!row || (!caller.IsOperator() && row->c.user_id != caller.user_id)) {
    return Fail(NoSuchCredential());
  }
  return std::move(*row);
}

std::vector<Credential> Credentials(std::vector<Row> rows) {
  std::vector<Credential> out;
  out.reserve(rows.size());
  for (Row& r : rows) out.push_back(std::move(r.c));
  return out;
}

}  // namespace

bool IsIdentifierKind(std::string_view kind) {
  return kind == "orcid" || kind == "licence_number" || kind == "other";
}

bool IsValidOrcid(std::string_view id) {
  if (id.size() != 19) return false;
  int total = 0, digits = 0;
  for (std::size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    if (i == 4 || i == 9 || i == 14) {
      if (c != '-') return false;
      continue;
    }
    if (i == 18) {
      int remainder = total % 11;
      int check = (12 - remainder) % 11;
      return check == 10 ? c == 'X' : c == static_cast<char>('0' + check);
    }
    if (c < '0' || c > '9') return false;
    total = (total + (c - '0')) * 2;
    ++digits;
  }
  return false;
}

Result<std::string> CanonicalIdentifier(std::string_view kind, std::string_view id) {
  std::string_view t = Trim(id);
  if (kind == "orcid") {
    for (std::string_view prefix : {"https://orcid.org/", "http://orcid.org/", "orcid.org/"}) {
      if (t.substr(0, prefix.size()) == prefix) t.remove_prefix(prefix.size());
    }
    std::string s(t);
    if (!s.empty() && s.back() == 'x') s.back() = 'X';
    if (s.size() != 19 || s[4] != '-' || s[9] != '-' || s[14] != '-') {
      return Fail(IdentifierError("invalid", "an ORCID iD has the form 0000-0002-1825-0097"));
    }
    if (!IsValidOrcid(s)) {
      return Fail(IdentifierError("checksum", "the ORCID iD's check digit does not match"));
    }
    return s;
  }
  if (kind == "licence_number") {
    bool digit = false;
    for (char c : t) {
      if (c >= '0' && c <= '9') digit = true;
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '-' || c == '.' ||
            c == '/')) {
        return Fail(IdentifierError("invalid", "letters, digits, spaces and - . / only"));
      }
    }
    if (t.empty() || t.size() > 64 || !digit) {
      return Fail(IdentifierError("invalid", "1 to 64 characters with at least one digit"));
    }
    return std::string(t);
  }
  if (t.empty() || t.size() > 200) {
    return Fail(IdentifierError("invalid", "1 to 200 characters"));
  }
  for (char c : t) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Fail(IdentifierError("invalid", "no control characters"));
    }
  }
  return std::string(t);
}

std::string Credential::StatusAt(UnixSeconds now) const {
  bool live = status == "draft" || status == "pending" || status == "verified";
  if (live && expires_at && *expires_at <= now) return "expired";
  return status;
}

std::string CredentialSummary::Text() const {
  std::string what = level ? std::string(LevelName(*level)) : kind;
  if (domain) return fmt::format("verified {}, {}", what, *domain);
  return fmt::format("verified {}", what);
}

std::map<std::int64_t, std::vector<CredentialSummary>> CredentialSummaries(
    soci::session& s, const std::vector<std::int64_t>& expert_ids, UnixSeconds now) {
  std::map<std::int64_t, std::vector<CredentialSummary>> out;
  std::set<std::int64_t> wanted(expert_ids.begin(), expert_ids.end());
  long long user = 0;
  std::string kind;
  std::optional<std::string> domain;
  std::optional<int> level;
  // One statement per expert keeps the SQL a literal (a cached statement); the workforce
  // view's lists are a lab's experts, not the whole network.
  for (std::int64_t id : wanted) {
    std::vector<CredentialSummary> list;
    db::Query(s,
              "SELECT user_id, kind, domain, level FROM credentials WHERE user_id = :u AND "
              "status = 'verified' AND (expires_at IS NULL OR expires_at > :now) ORDER BY kind, "
              "domain, level")
        .Bind(static_cast<long long>(id))
        .Bind(static_cast<long long>(now))
        .Each(
            [&] {
              list.push_back(CredentialSummary{kind, domain, level, true});
              return true;
            },
            user, kind, domain, level);
    if (!list.empty()) out.emplace(id, std::move(list));
  }
  return out;
}

std::string SafeFileName(std::string_view name, EvidenceType type) {
  std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (char c : name) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    out.push_back(ok && static_cast<unsigned char>(c) < 0x80 ? c : '_');
  }
  while (!out.empty() && out.front() == '.') out.erase(0, 1);
  std::string ext = fmt::format(".{}", EvidenceExtension(type));
  std::size_t dot = out.rfind('.');
  if (dot != std::string::npos) out.erase(dot);  // the content decides the extension
  if (out.size() > 100 - ext.size()) out.resize(100 - ext.size());
  if (out.empty() || std::all_of(out.begin(), out.end(), [](char c) { return c == '_'; })) {
    out = "evidence";
  }
  return out + ext;
}

CredentialService::CredentialService(db::Database& db, const Clock& clock, ExpertService& experts,
                                     CredentialOptions options)
    : db_(db),
      clock_(clock),
      experts_(experts),
      store_(std::move(options.evidence_dir), options.max_evidence_bytes) {}

Result<Credential> CredentialService::Create(const Caller& caller, const NewCredential& nc) {
  if (!caller.IsExpert()) return PermissionDenied("only experts hold credentials");
  std::vector<FieldError> errors;
  if (!IsCredentialKind(nc.kind)) {
    errors.push_back(
        Field("kind", "invalid", "expected degree, licence, certification or employment"));
  }
  std::string title(Trim(nc.title)), issuer(Trim(nc.issuer));
  if (title.empty()) errors.push_back(Field("title", "required", "name the credential"));
  if (title.size() > kMaxTitleBytes) {
    errors.push_back(Field("title", "too_long", fmt::format("at most {} bytes", kMaxTitleBytes)));
  }
  if (issuer.size() > kMaxTitleBytes) {
    errors.push_back(Field("issuer", "too_long", fmt::format("at most {} bytes", kMaxTitleBytes)));
  }
  if (nc.level && (*nc.level < kMinLevel || *nc.level > kMaxLevel)) {
    errors.push_back(Field("level", "out_of_range",
                           "1 student, 2 bachelor, 3 master, 4 PhD, 5 licensed professional"));
  } else if (nc.level && !nc.domain) {
    errors.push_back(Field("level", "requires_domain", "a level is a level in a domain"));
  }
  std::optional<std::string> identifier;
  if (nc.identifier_kind && !IsIdentifierKind(*nc.identifier_kind)) {
    errors.push_back(
        Field("identifier_kind", "invalid", "expected orcid, licence_number or other"));
  } else if (nc.identifier_kind && !nc.identifier) {
    errors.push_back(Field("identifier", "required", "give the identifier of that kind"));
  } else if (nc.identifier && !nc.identifier_kind) {
    errors.push_back(Field("identifier_kind", "required", "say what kind of identifier it is"));
  } else if (nc.identifier) {
    auto canonical = CanonicalIdentifier(*nc.identifier_kind, *nc.identifier);
    if (!canonical) {
      for (auto& d : canonical.error().details) errors.push_back(d);
    } else {
      identifier = *canonical;
    }
  }
  long long now = clock_.Now();
  if (nc.expires_at && *nc.expires_at <= now) {
    errors.push_back(Field("expires_at", "in_past", "an expired credential cannot be vetted"));
  } else if (nc.expires_at && nc.issued_at && *nc.expires_at <= *nc.issued_at) {
    errors.push_back(Field("expires_at", "before_issued", "expires_at must follow issued_at"));
  }
  if (!errors.empty()) {
    std::string message = errors.size() == 1
                              ? fmt::format("{}: {}", errors[0].field, errors[0].message)
                              : "the credential has errors; see details";
    return InvalidArgument(std::move(message), std::move(errors));
  }
  long long uid = caller.user_id;
  return db_.Write<Credential>([&](soci::session& s) -> Result<Credential> {
    if (nc.domain && !DomainExists(s, *nc.domain)) {
      return InvalidArgument("domain: not a known domain",
                             {{"domain", "unknown", "not a known domain (GET /api/v1/domains)"}});
    }
    long long id = 0;
    db::Query(s,
              "INSERT INTO credentials (user_id, kind, title, issuer, domain, level, "
              "identifier_kind, identifier, issued_at, expires_at, status, created_at, "
              "updated_at) VALUES (:u, :k, :t, :i, :d, :l, :ik, :id, :ia, :ea, 'draft', :c, "
              ":up) RETURNING id")
        .Bind(uid)
        .Bind(nc.kind)
        .Bind(title)
        .Bind(issuer)
        .Bind(nc.domain)
        .Bind(nc.level)
        .Bind(nc.identifier_kind)
        .Bind(identifier)
        .Bind(nc.issued_at)
        .Bind(nc.expires_at)
        .Bind(now)
        .Bind(now)
        .One(id);
    auto row = RowById(s, id);
    if (!row) return Internal("a credential vanished as it was stored");
    return std::move(row->c);
  });
}

Result<std::vector<Credential>> CredentialService::List(const Caller& caller) {
  return ListOf(caller.user_id);
}

Result<std::vector<Credential>> CredentialService::ListOf(std::int64_t user_id) {
  long long uid = user_id;
  return db_.Read<std::vector<Credential>>([&](soci::session& s)
                                               -> Result<std::vector<Credential>> {
    return Credentials(ReadRows(
        db::Query(s, FW_CREDENTIAL_SELECT "WHERE c.user_id = :u ORDER BY c.id DESC").Bind(uid)));
  });
}

Result<Credential> CredentialService::Get(const Caller& caller, std::int64_t id) {
  return db_.Read<Credential>([&](soci::session& s) -> Result<Credential> {
    FW_TRY(Row row, VisibleRow(s, caller, id));
    return std::move(row.c);
  });
}

Result<Credential> CredentialService::AttachEvidence(const Caller& caller, std::int64_t id,
                                                     std::string_view content_type,
                                                     std::string_view file_name,
                                                     const ReadFn& read) {
  long long cid = id, uid = caller.user_id;
  // Refuse early what the transaction would refuse, before receiving a file for nothing.
  FW_TRY(Row before, db_.Read<Row>([&](soci::session& s) -> Result<Row> {
    auto row = RowById(s, cid);
    if (!row || row->c.user_id != uid) return Fail(NoSuchCredential());
    return std::move(*row);
  }));
  if (before.c.status != "draft" || before.file) {
    return Conflict("the credential has its evidence; withdraw it and add a new credential",
                    "evidence_exists");
  }
  auto declared = ParseEvidenceMediaType(content_type);
  if (!declared) {
    return Fail(ErrorCode::kInvalidArgument,
                "send the file with Content-Type application/pdf, image/png, image/jpeg or "
                "image/webp",
                {{"content_type", "unsupported", "expected a PDF, PNG, JPEG or WebP type"}},
                "unsupported_media_type");
  }
  FW_TRY(StoredEvidence stored, store_.Store(read, *declared));
  std::string name = SafeFileName(file_name, stored.type);
  std::string type(EvidenceMediaType(stored.type));
  long long now = clock_.Now();
  auto saved = db_.Write<Credential>([&](soci::session& s) -> Result<Credential> {
    long long changed =
        db::Query(s,
                  "UPDATE credentials SET status = 'pending', evidence_file = :f, evidence_name = "
                  ":n, evidence_type = :t, evidence_bytes = :b, evidence_sha256 = :h, "
                  "submitted_at = :now, updated_at = :now2 WHERE id = :id AND user_id = :u AND "
                  "status = 'draft' AND evidence_file IS NULL")
            .Bind(stored.file)
            .Bind(name)
            .Bind(type)
            .Bind(static_cast<long long>(stored.bytes))
            .Bind(stored.sha256)
            .Bind(now)
            .Bind(now)
            .Bind(cid)
            .Bind(uid)
            .Run();
    if (changed != 1) {
      return Conflict("the credential has its evidence; withdraw it and add a new credential",
                      "evidence_exists");
    }
    auto row = RowById(s, cid);
    if (!row) return Internal("a credential vanished as it was updated");
    return std::move(row->c);
  });
  if (!saved) store_.Remove(stored.file);
  return saved;
}

Result<Credential> CredentialService::Withdraw(const Caller& caller, std::int64_t id) {
  long long cid = id, uid = caller.user_id, now = clock_.Now();
  std::optional<std::string> file;
  FW_TRY(Credential out, db_.Write<Credential>([&](soci::session& s) -> Result<Credential> {
    auto row = RowById(s, cid);
    if (!row || row->c.user_id != uid) return Fail(NoSuchCredential());
    if (row->c.status != "draft" && row->c.status != "pending") {
      return Conflict(fmt::format("a {} credential cannot be withdrawn", row->c.status),
                      "not_withdrawable");
    }
    db::Query(s,
              "UPDATE credentials SET status = 'withdrawn', evidence_file = NULL, updated_at = "
              ":now WHERE id = :id")
        .Bind(now)
        .Bind(cid)
        .Run();
    file = row->file;
    auto after = RowById(s, cid);
    if (!after) return Internal("a credential vanished as it was withdrawn");
    return std::move(after->c);
  }));
  // After the commit: the row no longer names the file, so deleting it can leave no row
  // without its file; a failed delete leaves an unnamed file for the sweep.
  if (file) store_.Remove(*file);
  return out;
}

Result<EvidenceFile> CredentialService::OpenEvidence(const Caller& caller, std::int64_t id) {
  long long cid = id;
  FW_TRY(Row row, db_.Read<Row>([&](soci::session& s) { return VisibleRow(s, caller, cid); }));
  if (!row.file || !row.c.evidence) return NotFound("the credential has no evidence file");
  FW_TRY(auto file, store_.Open(*row.file));
  return EvidenceFile{std::move(file), *row.c.evidence};
}

Result<std::vector<QueuedCredential>> CredentialService::Queue() {
  return db_.Read<std::vector<QueuedCredential>>(
      [&](soci::session& s) -> Result<std::vector<QueuedCredential>> {
        auto rows = ReadRows(db::Query(
            s, FW_CREDENTIAL_SELECT "WHERE c.status = 'pending' ORDER BY c.submitted_at, c.id"));
        std::vector<QueuedCredential> out;
        out.reserve(rows.size());
        for (Row& r : rows) {
          QueuedCredential q;
          db::Query(s, "SELECT name, email FROM users WHERE id = :u")
              .Bind(static_cast<long long>(r.c.user_id))
              .One(q.expert_name, q.expert_email);
          q.credential = std::move(r.c);
          out.push_back(std::move(q));
        }
        return out;
      });
}

Result<Verified> CredentialService::Verify(const Caller& op, std::int64_t id,
                                           const Verification& v) {
  long long cid = id, by = op.user_id, now = clock_.Now();
  if (v.expires_at && *v.expires_at <= now) {
    return InvalidArgument("expires_at: in the past",
                           {{"expires_at", "in_past", "give a date still ahead, or none"}});
  }
  return db_.Write<Verified>([&](soci::session& s) -> Result<Verified> {
    auto row = RowById(s, cid);
    if (!row) return Fail(NoSuchCredential());
    const Credential& c = row->c;
    if (c.status != "pending") {
      return Conflict(fmt::format("the credential is {}, not pending", c.status), "not_pending");
    }
    std::optional<UnixSeconds> expires = v.expires_at ? v.expires_at : c.expires_at;
    if (expires && *expires <= now) {
      return Conflict("the credential has expired; reject it or give a later expires_at",
                      "credential_expired");
    }
    db::Query(s,
              "UPDATE credentials SET status = 'verified', expires_at = :x, decided_by = :b, "
              "decided_at = :now, decision_reason = '', updated_at = :now2 WHERE id = :id")
        .Bind(expires)
        .Bind(by)
        .Bind(now)
        .Bind(now)
        .Bind(cid)
        .Run();
    Verified out;
    if (v.grant) {
      Grounds grounds;
      grounds.kind = "credential";
      grounds.id = cid;
      grounds.expires_at = expires;
      grounds.granted_by = by;
      auto q = experts_.GrantQualification(s, c.user_id, v.grant->domain, v.grant->level,
                                           v.grant->reviewer, grounds);
      if (!q) {
        Error e = std::move(q).error();
        for (FieldError& d : e.details) {
          if (d.field == "domain" || d.field == "level") d.field = "grant." + d.field;
        }
        return Fail(std::move(e));
      }
      out.qualification = std::move(*q);
    }
    auto after = RowById(s, cid);
    if (!after) return Internal("a credential vanished as it was verified");
    out.credential = std::move(after->c);
    return out;
  });
}

Result<Credential> CredentialService::Reject(const Caller& op, std::int64_t id,
                                             std::string_view reason) {
  std::string why(Trim(reason));
  if (why.empty()) {
    return InvalidArgument("reason: say why the credential is rejected",
                           {{"reason", "required", "the expert reads it"}});
  }
  if (why.size() > kMaxReasonBytes) {
    return InvalidArgument(
        "reason: too long",
        {{"reason", "too_long", fmt::format("at most {} bytes", kMaxReasonBytes)}});
  }
  long long cid = id, by = op.user_id, now = clock_.Now();
  return db_.Write<Credential>([&](soci::session& s) -> Result<Credential> {
    auto row = RowById(s, cid);
    if (!row) return Fail(NoSuchCredential());
    if (row->c.status != "pending") {
      return Conflict(fmt::format("the credential is {}, not pending", row->c.status),
                      "not_pending");
    }
    db::Query(s,
              "UPDATE credentials SET status = 'rejected', decided_by = :b, decided_at = :now, "
              "decision_reason = :r, updated_at = :now2 WHERE id = :id")
        .Bind(by)
        .Bind(now)
        .Bind(why)
        .Bind(now)
        .Bind(cid)
        .Run();
    auto after = RowById(s, cid);
    if (!after) return Internal("a credential vanished as it was rejected");
    return std::move(after->c);
  });
}

Result<int> CredentialService::SweepEvidence(std::int64_t min_age_seconds) {
  FW_TRY(auto named,
         db_.Read<std::set<std::string>>([](soci::session& s) -> Result<std::set<std::string>> {
           std::set<std::string> out;
           std::string f;
           db::Query(s,
                     "SELECT evidence_file FROM credentials WHERE evidence_file "
                     "IS NOT NULL")
               .Each(
                   [&] {
                     out.insert(f);
                     return true;
                   },
                   f);
           return out;
         }));
  return store_.Sweep([&](const std::string& file) { return named.count(file) > 0; },
                      min_age_seconds);
}

}  // namespace fw::experts
