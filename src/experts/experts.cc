#include "experts/experts.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "db/query.h"
#include "security/crypto.h"

namespace fw::experts {

namespace {

Error UnknownDomain(std::string_view domain) {
  return Error(ErrorCode::kInvalidArgument, fmt::format("'{}' is not a known domain", domain),
               {{"domain", "unknown", "see GET /api/v1/domains"}});
}

// Runs inside the caller's transaction, so a grant cannot name a domain that is not stored.
Status CheckDomain(soci::session& s, std::string_view domain) {
  if (!DomainExists(s, domain)) return Fail(UnknownDomain(domain));
  return {};
}

// kNotFound unless `user_id` is an expert; runs inside the caller's transaction. The message
// names the user by its public id, the only id the client knows.
Status CheckIsExpert(soci::session& s, long long user_id, const security::IdCodec& ids) {
  std::string role;
  bool found = db::Query(s, "SELECT role FROM users WHERE id = :id").Bind(user_id).One(role);
  if (!found || role != RoleName(Role::kExpert)) {
    constexpr long long kMaxEncodable = 1LL << 53;
    if (user_id <= 0 || user_id >= kMaxEncodable) return NotFound("no such expert");
    return NotFound(
        fmt::format("{} is not an expert", ids.Encode(security::IdKind::kUser, user_id)));
  }
  return {};
}

// The user's qualifications ordered by domain, read with `s` (inside a transaction or not).
std::vector<Qualification> ReadQualifications(soci::session& s, long long uid);

// The columns of a qualifications row, in the order FW_QUALIFICATION_COLUMNS names them.
struct QualificationColumns {
  std::string domain;
  int level = 0;
  int reviewer = 0;
  long long granted_at = 0;
  std::string grounds;
  std::optional<long long> grounds_id, expires_at, granted_by;
  std::optional<int> score;
  std::string reason;
  std::optional<std::string> parent;
  Qualification Get() const {
    Qualification q{domain, level, reviewer != 0, granted_at, {}, parent.value_or("")};
    q.grounds.kind = grounds;
    q.grounds.id = grounds_id.value_or(0);
    q.grounds.score = score;
    q.grounds.expires_at = expires_at;
    q.grounds.reason = reason;
    q.grounds.granted_by = granted_by.value_or(0);
    return q;
  }
};
#define FW_QUALIFICATION_COLUMNS                                                            \
  "q.domain, q.level, q.reviewer, q.granted_at, q.grounds, q.grounds_id, q.expires_at, "     \
  "q.granted_by, q.score, q.reason, d.parent"
#define FW_QUALIFICATION_INTO(c)                                                            \
  c.domain, c.level, c.reviewer, c.granted_at, c.grounds, c.grounds_id, c.expires_at,        \
      c.granted_by, c.score, c.reason, c.parent

std::vector<Qualification> ReadQualifications(soci::session& s, long long uid) {
  QualificationColumns c;
  std::vector<Qualification> out;
  db::Query(s, "SELECT " FW_QUALIFICATION_COLUMNS
               " FROM qualifications q LEFT JOIN domains d ON d.name = q.domain "
               "WHERE q.user_id = :u ORDER BY q.domain")
      .Bind(uid)
      .Each(
          [&] {
            out.push_back(c.Get());
            return true;
          },
          FW_QUALIFICATION_INTO(c));
  return out;
}

Status CheckGrounds(const Grounds& g) {
  if (!IsGroundsKind(g.kind)) {
    return InvalidArgument("unknown grounds for a qualification",
                           {{"grounds", "invalid", "one of exam, credential, operator"}});
  }
  if (g.score && (*g.score < 0 || *g.score > 100)) {
    return InvalidArgument("a score is a percentage",
                           {{"score", "out_of_range", "expected an integer from 0 to 100"}});
  }
  return {};
}

}  // namespace

std::string_view LevelName(int level) {
  switch (level) {
    case 1:
      return "student";
    case 2:
      return "bachelor";
    case 3:
      return "master";
    case 4:
      return "PhD";
    case 5:
      return "licensed professional";
    default:
      return "";
  }
}

bool IsGroundsKind(std::string_view kind) {
  return kind == "exam" || kind == "credential" || kind == "operator";
}

const Qualification* BestFor(const std::vector<Qualification>& quals, std::string_view domain,
                             UnixSeconds now) {
  const Qualification* best = nullptr;
  for (const Qualification& q : quals) {
    if (q.domain != domain && q.parent != domain) continue;
    if (best == nullptr || std::pair(q.Current(now), q.level) > std::pair(best->Current(now), best->level)) {
      best = &q;
    }
  }
  return best;
}

bool Qualifies(const std::vector<Qualification>& quals, std::string_view domain, int min_level,
               UnixSeconds now) {
  if (domain.empty()) return true;
  return std::any_of(quals.begin(), quals.end(), [&](const Qualification& q) {
    return (q.domain == domain || q.parent == domain) && q.level >= min_level && q.Current(now);
  });
}

ExpertService::ExpertService(db::Database& db, const Clock& clock, const security::IdCodec& ids)
    : db_(db), clock_(clock), ids_(ids) {}

Result<Qualification> ExpertService::GrantQualification(std::int64_t expert_user_id,
                                                        std::string_view domain, int level,
                                                        bool reviewer, const Grounds& grounds) {
  return db_.Write<Qualification>([&](soci::session& s) -> Result<Qualification> {
    return GrantQualification(s, expert_user_id, domain, level, reviewer, grounds);
  });
}

Result<Qualification> ExpertService::GrantQualification(soci::session& s,
                                                        std::int64_t expert_user_id,
                                                        std::string_view domain, int level,
                                                        bool reviewer, const Grounds& grounds) {
  if (level < kMinLevel || level > kMaxLevel) {
    return InvalidArgument("level must be between 1 and 5",
                           {{"level", "out_of_range", "expected an integer from 1 to 5"}});
  }
  FW_TRY_STATUS(CheckGrounds(grounds));
  long long uid = expert_user_id;
  FW_TRY_STATUS(CheckDomain(s, domain));
  FW_TRY_STATUS(CheckIsExpert(s, uid, ids_));
  const Grounds& g = grounds;
  std::optional<long long> grounds_id, granted_by, expires_at;
  if (g.id != 0) grounds_id = g.id;
  if (g.granted_by != 0) granted_by = g.granted_by;
  if (g.expires_at) expires_at = *g.expires_at;
  std::optional<int> score = g.score;
  db::Query(s,
            "INSERT INTO qualifications (user_id, domain, level, reviewer, granted_at, grounds, "
            "grounds_id, score, expires_at, reason, granted_by) "
            "VALUES (:u, :d, :l, :r, :g, :k, :gi, :sc, :x, :re, :by) "
            "ON CONFLICT (user_id, domain) DO UPDATE SET level = excluded.level, "
            "reviewer = excluded.reviewer, granted_at = excluded.granted_at, "
            "grounds = excluded.grounds, grounds_id = excluded.grounds_id, "
            "score = excluded.score, expires_at = excluded.expires_at, "
            "reason = excluded.reason, granted_by = excluded.granted_by")
      .Bind(uid)
      .Bind(std::string(domain))
      .Bind(level)
      .Bind(reviewer ? 1 : 0)
      .Bind(static_cast<long long>(clock_.Now()))
      .Bind(g.kind)
      .Bind(grounds_id)
      .Bind(score)
      .Bind(expires_at)
      .Bind(g.reason)
      .Bind(granted_by)
      .Run();
  std::vector<Qualification> held = ReadQualifications(s, uid);
  if (listener_) FW_TRY_STATUS(listener_(s, uid, held));
  for (Qualification& q : held) {
    if (q.domain == domain) return std::move(q);
  }
  return Fail(ErrorCode::kInternal, "the granted qualification was not read back");
}

Status ExpertService::RevokeQualification(std::int64_t expert_user_id, std::string_view domain) {
  long long uid = expert_user_id;
  std::string d(domain);
  FW_TRY_STATUS(db_.Write<bool>([&](soci::session& s) -> Result<bool> {
    FW_TRY_STATUS(CheckDomain(s, d));
    FW_TRY_STATUS(CheckIsExpert(s, uid, ids_));
    if (db::Query(s, "DELETE FROM qualifications WHERE user_id = :u AND domain = :d")
            .Bind(uid)
            .Bind(d)
            .Run() == 0) {
      return NotFound(fmt::format("the expert holds no {} qualification", d));
    }
    if (listener_) FW_TRY_STATUS(listener_(s, uid, ReadQualifications(s, uid)));
    return true;
  }));
  return {};
}

Result<std::vector<Qualification>> ExpertService::Qualifications(std::int64_t user_id,
                                                                 soci::session* within) {
  long long uid = user_id;
  if (within != nullptr) return ReadQualifications(*within, uid);
  return db_.Read<std::vector<Qualification>>(
      [&](soci::session& s) -> Result<std::vector<Qualification>> {
        return ReadQualifications(s, uid);
      });
}

Result<std::vector<Expert>> ExpertService::ListExperts() {
  return db_.Read<std::vector<Expert>>([](soci::session& s) -> Result<std::vector<Expert>> {
    std::vector<Expert> out;
    std::unordered_map<long long, std::size_t> index;
    long long id = 0, created_at = 0;
    std::string email, name;
    int disabled = 0;
    db::Query(s,
              "SELECT id, email, name, created_at, disabled FROM users WHERE role = 'expert' "
              "ORDER BY id")
        .Each(
            [&] {
              Expert e;
              e.user = orgs::User{id, email, name, Role::kExpert, 0, created_at, disabled != 0};
              index.emplace(id, out.size());
              out.push_back(std::move(e));
              return true;
            },
            id, email, name, created_at, disabled);
    // One query for every expert's qualifications rather than one per expert.
    QualificationColumns c;
    long long user_id = 0;
    db::Query(s, "SELECT q.user_id, " FW_QUALIFICATION_COLUMNS
                 " FROM qualifications q JOIN users u ON u.id = q.user_id "
                 "LEFT JOIN domains d ON d.name = q.domain "
                 "WHERE u.role = 'expert' ORDER BY q.user_id, q.domain")
        .Each(
            [&] {
              auto it = index.find(user_id);
              if (it != index.end()) out[it->second].qualifications.push_back(c.Get());
              return true;
            },
            user_id, FW_QUALIFICATION_INTO(c));
    return out;
  });
}

Result<std::string> ExpertService::PseudonymKey(std::int64_t org_id) {
  std::optional<std::string> cached = keys_.With([&](auto& keys) -> std::optional<std::string> {
    auto it = keys.find(org_id);
    if (it == keys.end()) return std::nullopt;
    return it->second;
  });
  if (cached) return std::move(*cached);
  long long oid = org_id;
  FW_TRY(std::string hex, db_.Read<std::string>([&](soci::session& s) -> Result<std::string> {
    std::string key;
    if (!db::Query(s, "SELECT pseudonym_key FROM orgs WHERE id = :id").Bind(oid).One(key)) {
      return NotFound("no such lab");
    }
    return key;
  }));
  std::string raw;
  if (!security::FromHex(hex, &raw) || raw.size() < 16) {
    return Internal("a lab's stored pseudonym key is malformed");
  }
  // Two threads may both miss and load; they load the same immutable key, so either wins.
  keys_.With([&](auto& keys) { keys.emplace(org_id, raw); });
  return raw;
}

Result<std::string> ExpertService::Pseudonym(std::int64_t org_id, std::int64_t expert_user_id) {
  FW_TRY(std::string key, PseudonymKey(org_id));
  std::string digest = security::KeyedHash(key, std::to_string(expert_user_id));
  std::string b32 =
      security::Base32(reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
  return "ex_" + b32.substr(0, 10);
}

}  // namespace fw::experts
